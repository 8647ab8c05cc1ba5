using System.Net;
using System.Web;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>The URL the relay tests open is the one the apps open, with a signature the server accepts.</summary>
public sealed class RemoteWebSocketUriTests
{
    [Fact]
    public async Task RemoteWebSocketUri_CarriesAValidSignatureOfTheClient()
    {
        await using var stack = await TunnelStack.StartAsync();
        var uri = await stack.RemoteWebSocketUriAsync();
        uri.Scheme.Should().Be("ws");
        uri.AbsolutePath.Should().Be("/ws");
        var query = HttpUtility.ParseQueryString(uri.Query);
        query["moosicboxProfile"].Should().Be("master");
        query["clientId"].Should().Be(stack.ClientId);
        using var http = stack.Server.CreateClient();
        using var response = await http.PostAsync(new Uri(
            $"/auth/validate-signature-token?clientId={stack.ClientId}&signature={Uri.EscapeDataString(query["signature"]!)}", UriKind.Relative), null);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
