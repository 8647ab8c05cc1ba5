namespace Tunnel.Tests.Fixtures;

/// <summary>Status and header fields of a response read by <see cref="RawHttpConnection"/>, in order.</summary>
public sealed record RawHttpResponseHead(int StatusCode, IReadOnlyList<(string Name, string Value)> Headers)
{
    public string? this[string name] =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
