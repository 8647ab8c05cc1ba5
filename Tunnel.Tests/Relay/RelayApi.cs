using System.Text.Json;
using Tunnel.Tests.Auth;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>A remote app's side of the relay as tests drive it: the tunnel's <c>/ws</c> URL, signatures, a paired socket.</summary>
internal static class RelayApi
{
    public static Uri Url(TunnelServer server, string query) =>
        new($"ws://{server.BaseAddress.Authority}/ws" + (query.Length > 0 ? "?" + query : string.Empty));

    /// <summary>The web app's query: profile, clientId, signature.</summary>
    public static string Query(string clientId, string signature, string profile = "master") =>
        $"moosicboxProfile={profile}&clientId={clientId}&signature={Uri.EscapeDataString(signature)}";

    public static Task<string> SignatureAsync(TunnelStack stack) =>
        AuthApi.CreateSignatureAsync(stack.Server, stack.ClientId, stack.Token);

    public static Task<TestWebSocketClient> ConnectAsync(TunnelStack stack, string signature, string profile = "master") =>
        TestWebSocketClient.ConnectAsync(Url(stack.Server, Query(stack.ClientId, signature, profile)));

    /// <summary>
    /// Asks for the connection id as the apps do right after open and returns the home's socket it names: the pair
    /// (remote app socket, home socket) of one relay.
    /// </summary>
    public static async Task<HomeConnection> PairAsync(TestWebSocketClient remote, HomeWebSocketEndpoint home)
    {
        await remote.SendTextAsync("{\"type\":\"GET_CONNECTION_ID\"}");
        var id = ConnectionIdOf(await remote.ReceiveTextAsync());
        TypeOf(await remote.ReceiveTextAsync()).Should().Be("SESSIONS", "the home answers CONNECTION_ID then SESSIONS");
        return home.Connection(id);
    }

    public static async Task<(TestWebSocketClient Remote, HomeConnection Home)> OpenAsync(TunnelStack stack, string signature)
    {
        var remote = await ConnectAsync(stack, signature);
        return (remote, await PairAsync(remote, stack.Origin.Home));
    }

    public static ulong ConnectionIdOf(string message)
    {
        using var json = JsonDocument.Parse(message);
        json.RootElement.GetProperty("type").GetString().Should().Be("CONNECTION_ID", message);
        return ulong.Parse(json.RootElement.GetProperty("connectionId").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string? TypeOf(string message)
    {
        using var json = JsonDocument.Parse(message);
        return json.RootElement.GetProperty("type").GetString();
    }
}
