namespace Tunnel.Agent.Requests;

/// <summary>
/// A small body that was not all there at once: the bytes read so far (<c>Buffer[..Filled]</c>) and the read still
/// running into <c>Buffer[Filled..]</c>. The body stream sends the first at once and the rest as it comes.
/// </summary>
internal sealed record SmallBodyStart(Stream Stream, byte[] Buffer, int Filled, Task<int> Pending);
