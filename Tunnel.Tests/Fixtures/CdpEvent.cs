using System.Text.Json;

namespace Tunnel.Tests.Fixtures;

/// <summary>One Chrome DevTools Protocol event: its method, the page session it came from, and its parameters.</summary>
public sealed record CdpEvent(string Method, string? SessionId, JsonElement Params)
{
    public override string ToString() => $"{Method} {(Params.ValueKind == JsonValueKind.Undefined ? "" : Params.GetRawText())}";
}
