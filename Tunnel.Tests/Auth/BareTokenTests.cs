using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>
/// <c>Authorization</c> as the real MoosicBox clients send it (issue 9): the bare token (web app, home server),
/// <c>bearer</c> in any case (native app) and <c>Bearer</c> are the same token on every route; another scheme is not.
/// </summary>
public sealed class BareTokenTests(AuthStackFixture fixture) : IClassFixture<AuthStackFixture>
{
    private TunnelStack Stack => fixture.Stack;

    [Theory]
    [InlineData("")]
    [InlineData("Bearer ")]
    [InlineData("bearer ")]
    [InlineData("BEARER ")]
    public async Task Api_TokenBareOrBearerInAnyCase_IsForwarded(string prefix)
    {
        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Get, Stack.Url("/json"), prefix + Stack.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"hello":"world","items":[1,2,3]}""");
    }

    [Fact]
    public async Task Media_BareTokenWithoutSignature_StreamsTheTrack()
    {
        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Get, Stack.Url("/files/track?trackId=1"), Stack.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(100_000, Stack.Origin.Seed));
    }

    [Fact]
    public async Task AuthRoutes_BareClientToken_AreServed()
    {
        var server = Stack.Server;
        using var signature = await AuthApi.SendAsync(server, HttpMethod.Post, $"/auth/signature-token?clientId={Stack.ClientId}", Stack.Token);
        signature.StatusCode.Should().Be(HttpStatusCode.OK);
        var signatureToken = (await signature.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        // The web app validates with its bare access token beside the signature; the signature decides.
        using var valid = await AuthApi.SendAsync(server, HttpMethod.Post,
            $"/auth/validate-signature-token?clientId={Stack.ClientId}&signature={Uri.EscapeDataString(signatureToken)}", Stack.Token);
        (await valid.Content.ReadAsStringAsync()).Should().Be("""{"valid":true}""");

        using var magic = await AuthApi.SendAsync(server, HttpMethod.Post,
            $"/auth/magic-token?clientId={Stack.ClientId}&magicToken={Guid.NewGuid()}", Stack.Token);
        (await magic.Content.ReadAsStringAsync()).Should().Be("""{"success":true}""");

        using var deleted = await AuthApi.SendAsync(server, HttpMethod.Delete, $"/auth/signature-token?clientId={Stack.ClientId}", Stack.Token);
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task AdminRoutes_BareAdminToken_AreServed()
    {
        var client = "bare-admin-" + Guid.NewGuid().ToString("N")[..8];
        using var registered = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post, $"/auth/register-client?clientId={client}", TunnelServer.AdminToken);
        registered.StatusCode.Should().Be(HttpStatusCode.OK);
        var token = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using (var works = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post, $"/auth/signature-token?clientId={client}", token))
        {
            works.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var revoked = await AuthApi.SendAsync(Stack.Server, HttpMethod.Delete, $"/auth/clients/{client}/tokens", TunnelServer.AdminToken);
        revoked.StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var refused = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post, $"/auth/signature-token?clientId={client}", token);
        await refused.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Hub_AgentWithBareToken_IsAccepted()
    {
        var client = "bare-agent-" + Guid.NewGuid().ToString("N")[..8];
        var token = await Stack.Server.RegisterClientAsync(client);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Stack.Server.BaseAddress, $"/ws?clientId={client}&sender=true"), HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.Headers["Authorization"] = token;
            })
            .AddMessagePackProtocol()
            .Build();
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var agents = Stack.Server.Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.TryGet(client, out _), TimeSpan.FromSeconds(10))).Should().BeTrue();
    }

    [Theory]
    [InlineData("Basic {0}")]
    [InlineData("Token {0}")]
    [InlineData("Digest {0}")]
    public async Task OtherScheme_WithTheRightToken_Returns401(string format)
    {
        var authorization = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Stack.Token);
        using var api = await AuthApi.SendAsync(Stack.Server, HttpMethod.Get, Stack.Url("/json"), authorization);
        await api.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        using var signature = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post, $"/auth/signature-token?clientId={Stack.ClientId}", authorization);
        await signature.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        var admin = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, TunnelServer.AdminToken);
        using var register = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post, "/auth/register-client?clientId=basic-x", admin);
        await register.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OtherScheme_IsChargedToTheLimiter()
    {
        await using var server = await TunnelServer.StartAsync(new ServerSettings { Extra = { ["Tunnel:Auth:FailedAttemptsPerMinute"] = "2" } });
        var token = await server.RegisterClientAsync("basic-1");
        for (var i = 0; i < 2; i++)
        {
            using var refused = await AuthApi.SendAsync(server, HttpMethod.Post, "/auth/signature-token?clientId=basic-1", "Basic " + token);
            await refused.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var limited = await AuthApi.SendAsync(server, HttpMethod.Post, "/auth/signature-token?clientId=basic-1", token);
        await limited.ShouldBeAuthProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Api_HundredBareTokenCallsInAMinuteFromOneAddress_NeverSee429()
    {
        using var http = SourceAddressClient.Create(Stack.Server.BaseAddress, IPAddress.Parse("127.0.0.9"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            using var request = new HttpRequestMessage(i % 2 == 0 ? HttpMethod.Get : HttpMethod.Post, Stack.Url(i % 2 == 0 ? "/json" : "/upload"));
            request.Headers.TryAddWithoutValidation("Authorization", Stack.Token);
            request.Headers.Add("moosicbox-profile", "master");
            if (i % 2 == 1)
            {
                // The web app sends Content-Type: application/json on every call, GET included.
                request.Content = JsonContent.Create(new { call = i });
            }

            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        statuses.Should().AllBeEquivalentTo(HttpStatusCode.OK, "a valid token is never charged, however often it is used");
        fixture.Stack.Server.Logs.GetSnapshot().Should().NotContain(r => r.Id.Name == "AuthRateLimited");
    }
}
