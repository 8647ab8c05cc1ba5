using System.Text;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A request as <see cref="RawOrigin"/> received it: the head's exact bytes, its fields read as Latin-1 (one char
/// per byte), and which connection carried it.
/// </summary>
public sealed record RawOriginRequest(string Method, string Target, byte[] Head, IReadOnlyList<(string Name, string Value)> Headers, int ConnectionId)
{
    public string Path => Target.Split('?', 2)[0];

    public string? this[string name] =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    /// <summary>The bytes of a field's value exactly as they arrived.</summary>
    public byte[]? ValueBytes(string name) => this[name] is { } value ? Encoding.Latin1.GetBytes(value) : null;
}
