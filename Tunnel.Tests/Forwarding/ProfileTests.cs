using System.Net;
using Tunnel.Tests.Auth;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// MoosicBox profiles and the original's parameter names (issue 9): <c>moosicboxProfile</c> and the
/// <c>moosicbox-profile</c> header reach the home server untouched; <c>clientId</c>, <c>signature</c> and
/// <c>moosicboxProfile</c> are matched in any case, as the original matches them.
/// </summary>
public sealed class ProfileTests(AuthStackFixture fixture) : IClassFixture<AuthStackFixture>
{
    private TunnelStack Stack => fixture.Stack;

    [Fact]
    public async Task ProfileQueryAndHeader_ReachTheHomeServerUntouched()
    {
        var target = $"/echo/menu/albums?moosicboxProfile=Living%20Room%20%C3%A9&clientId={Stack.ClientId}&MoosicBoxProfile=second";
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.TryAddWithoutValidation("Authorization", Stack.Token);
        request.Headers.Add("moosicbox-profile", "Living Room");
        using var http = Stack.Server.CreateClient();
        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Uri.UnescapeDataString(response.Headers.GetValues("X-Echo-Target").Single()).Should().Be(target);
        response.Headers.GetValues("X-Echo-Header-moosicbox-profile").Should().Equal("Living Room");
    }

    [Theory]
    [InlineData("clientId")]
    [InlineData("ClientId")]
    [InlineData("CLIENTID")]
    [InlineData("clientid")]
    public async Task ClientIdInAnyCase_IsForwardedWithItsNameAsSent(string name)
    {
        using var http = Stack.CreateClient();
        var target = $"/echo/x?{name}={Stack.ClientId}&moosicboxprofile=p";
        using var response = await http.GetAsync(target);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Uri.UnescapeDataString(response.Headers.GetValues("X-Echo-Target").Single()).Should().Be(target);
    }

    [Theory]
    [InlineData("signature", "clientId")]
    [InlineData("Signature", "ClientID")]
    [InlineData("SIGNATURE", "CLIENTID")]
    public async Task MediaRoute_SignatureAndClientIdInAnyCase_AreAccepted(string signatureName, string clientIdName)
    {
        var signature = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);
        using var http = Stack.Server.CreateClient();
        using var response = await http.GetAsync(
            $"/files/track?trackId=1&{clientIdName}={Stack.ClientId}&{signatureName}={Uri.EscapeDataString(signature)}&MoosicBoxProfile=master");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(100_000, Stack.Origin.Seed));

        using var validate = await http.PostAsync(
            $"/auth/validate-signature-token?{clientIdName}={Stack.ClientId}&{signatureName}={Uri.EscapeDataString(signature)}", null);
        (await validate.Content.ReadAsStringAsync()).Should().Be("""{"valid":true}""");
    }
}
