namespace Tunnel.Server.Agents;

/// <summary>
/// What one agent connection has carried, for the admin page. Written on the forwarding hot path, so every update is
/// one <see cref="Interlocked"/> operation (per request or per chunk of up to 64 KiB) and nothing is locked.
/// </summary>
internal sealed class AgentTraffic
{
    private long _requests;
    private long _bytesToAgent;
    private long _bytesFromAgent;
    private AgentFailure? _lastFailure;

    /// <summary>Forwarded requests this connection took (those refused as busy included).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Request body bytes sent to the agent (uploads).</summary>
    public long BytesToAgent => Interlocked.Read(ref _bytesToAgent);

    /// <summary>Response body bytes received from the agent (downloads).</summary>
    public long BytesFromAgent => Interlocked.Read(ref _bytesFromAgent);

    /// <summary>The last request that ended in an error the caller did not cause; null while there was none.</summary>
    public AgentFailure? LastFailure => Volatile.Read(ref _lastFailure);

    public void RequestStarted() => Interlocked.Increment(ref _requests);

    public void SentToAgent(int bytes) => Interlocked.Add(ref _bytesToAgent, bytes);

    public void ReceivedFromAgent(int bytes) => Interlocked.Add(ref _bytesFromAgent, bytes);

    public void Failed(string error, string detail) => Volatile.Write(ref _lastFailure, new AgentFailure(error, detail, DateTimeOffset.UtcNow));
}
