using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>
/// Methods on the <c>/auth/*</c> routes the tunnel did not map (issue 9): HEAD is answered by the tunnel and never
/// forwarded (nor creates or uses up a token), and validate-signature-token never answers 404, which the web app
/// takes as "not a tunnel" for good.
/// </summary>
public sealed class AuthRouteMethodTests(AuthStackFixture fixture) : IClassFixture<AuthStackFixture>
{
    private TunnelStack Stack => fixture.Stack;

    [Theory]
    [InlineData("/auth/register-client?clientId={0}", "POST", true)]
    [InlineData("/auth/clients/{0}/tokens", "DELETE", true)]
    [InlineData("/auth/signature-token?clientId={0}", "POST, DELETE", false)]
    [InlineData("/auth/magic-token?clientId={0}&magicToken=11111111-2222-3333-4444-555555555555", "GET, POST", false)]
    [InlineData("/auth/device-link?clientId={0}", "POST", false)]
    public async Task Head_OnTokenRoute_AnsweredByTunnelNotForwarded(string format, string allow, bool admin)
    {
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Stack.ClientId);
        var before = Stack.Origin.Requests;

        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Head, url, "Bearer " + (admin ? TunnelServer.AdminToken : Stack.Token));

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().BeEquivalentTo(allow.Split(", "));
        Stack.Origin.Requests.Should().Be(before, "HEAD on a tunnel route never reaches the home server");
        Stack.IsAgentConnected.Should().BeTrue("nothing was revoked");
    }

    [Fact]
    public async Task Head_OnMagicToken_DoesNotUseItUp()
    {
        var magic = Guid.NewGuid().ToString();
        await AuthApi.RegisterMagicAsync(Stack.Server, Stack.ClientId, Stack.Token, magic);
        using (var head = await AuthApi.SendAsync(Stack.Server, HttpMethod.Head, $"/auth/magic-token?magicToken={magic}"))
        {
            head.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        }

        using var use = await Stack.Server.CreateClient().GetAsync($"/auth/magic-token?magicToken={magic}");
        use.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task ValidateSignature_AnyMethod_ValidatesHereAndNever404(string method)
    {
        var signature = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);
        var before = Stack.Origin.Requests;
        var url = $"/auth/validate-signature-token?clientId={Stack.ClientId}&signature=";

        // The web app sends its access token beside the signature: that must not turn the call into a forward.
        using var valid = await AuthApi.SendAsync(Stack.Server, new HttpMethod(method), url + Uri.EscapeDataString(signature), Stack.Token);
        valid.StatusCode.Should().Be(HttpStatusCode.OK);
        if (method != "HEAD")
        {
            (await valid.Content.ReadAsStringAsync()).Should().Be("""{"valid":true}""");
        }

        using var wrong = await AuthApi.SendAsync(Stack.Server, new HttpMethod(method), url + "not-a-signature-0123456789", Stack.Token);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var noClient = await AuthApi.SendAsync(Stack.Server, new HttpMethod(method), "/auth/validate-signature-token", Stack.Token);
        noClient.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Stack.Origin.Requests.Should().Be(before, "the tunnel answers validate-signature-token itself");
    }
}
