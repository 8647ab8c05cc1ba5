using System.Collections;

namespace Tunnel.Server.Hosting;

/// <summary>
/// A structured log scope (e.g. ASP.NET Core's per-request scope with the request path) that is formatted and
/// redacted only when a provider reads it. Frameworks open such a scope for every request whether or not anything
/// is logged inside it, and providers that do not print scopes (the console's default) never read it, so redacting
/// eagerly cost a formatted string and regex passes per forwarded request for nothing.
/// </summary>
internal sealed class LazyRedactedScope(IEnumerable<KeyValuePair<string, object?>> state) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly Lazy<RedactedLogState> _redacted = new(() => RedactedLogState.From(state, state.ToString() ?? string.Empty));

    public int Count => _redacted.Value.Count;

    public KeyValuePair<string, object?> this[int index] => _redacted.Value[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _redacted.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _redacted.Value.ToString();
}
