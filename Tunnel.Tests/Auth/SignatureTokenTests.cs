using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tunnel.Server.Auth;
using Tunnel.Server.Registry;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary><c>POST/DELETE /auth/signature-token</c> and <c>POST /auth/validate-signature-token</c>.</summary>
public sealed class SignatureTokenTests(AuthStackFixture fixture) : IClassFixture<AuthStackFixture>
{
    private TunnelStack Stack => fixture.Stack;

    [Fact]
    public async Task Create_WithClientToken_ReturnsTokenStoredHashedWithFourteenDayExpiry()
    {
        using var response = await AuthApi.SendAsBearerAsync(Stack.Server, HttpMethod.Post, $"/auth/signature-token?clientId={Stack.ClientId}", Stack.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("token");
        var token = json.RootElement.GetProperty("token").GetString()!;
        token.Length.Should().BeGreaterThanOrEqualTo(43, "256 bits in URL-safe base64");

        var factory = Stack.Server.Services.GetRequiredService<IDbContextFactory<TunnelDbContext>>();
        await using var db = factory.CreateDbContext();
        var row = await db.SignatureTokens.SingleAsync(t => t.TokenHash == TokenHasher.Hash(token));
        row.ClientId.Should().Be(Stack.ClientId);
        row.TokenHash.Should().NotContain(token);
        row.Expires.Should().Be(fixture.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromDays(14));
    }

    [Theory]
    [InlineData(BadCredential.Missing)]
    [InlineData(BadCredential.Malformed)]
    [InlineData(BadCredential.Expired)]
    [InlineData(BadCredential.OtherClients)]
    [InlineData(BadCredential.Revoked)]
    public async Task Create_WithoutValidClientToken_Returns401(BadCredential kind)
    {
        var (clientId, authorization) = await BadCredentials.BearerAsync(kind, fixture);
        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post, $"/auth/signature-token?clientId={clientId}", authorization);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Theory]
    [InlineData("/auth/signature-token")]
    [InlineData("/auth/signature-token?clientId=bad%20id")]
    public async Task Create_MissingOrInvalidClientId_Returns400(string url)
    {
        using var response = await AuthApi.SendAsBearerAsync(Stack.Server, HttpMethod.Post, url, Stack.Token);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Validate_ValidSignature_ReturnsValidTrue()
    {
        var signature = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);
        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post,
            BadCredentials.WithSignature($"/auth/validate-signature-token?clientId={Stack.ClientId}", signature));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"valid":true}""");
    }

    [Theory]
    [InlineData(BadCredential.Missing)]
    [InlineData(BadCredential.Malformed)]
    [InlineData(BadCredential.Expired)]
    [InlineData(BadCredential.OtherClients)]
    [InlineData(BadCredential.Revoked)]
    public async Task Validate_BadSignature_Returns401(BadCredential kind)
    {
        var (clientId, signature) = await BadCredentials.SignatureAsync(kind, fixture);
        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post,
            BadCredentials.WithSignature($"/auth/validate-signature-token?clientId={clientId}", signature));
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Validate_ClientAccessTokenAsSignature_Returns401()
    {
        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post,
            BadCredentials.WithSignature($"/auth/validate-signature-token?clientId={Stack.ClientId}", Stack.Token));
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Delete_WithClientToken_Returns204AndOnlySignaturesStopWorking()
    {
        var first = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);
        var second = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);

        using (var response = await AuthApi.SendAsBearerAsync(Stack.Server, HttpMethod.Delete, $"/auth/signature-token?clientId={Stack.ClientId}", Stack.Token))
        {
            response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        foreach (var signature in new[] { first, second })
        {
            using var refused = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post,
                BadCredentials.WithSignature($"/auth/validate-signature-token?clientId={Stack.ClientId}", signature));
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using var http = Stack.CreateClient();
        using var stillServed = await http.GetAsync(Stack.Url("/json"));
        stillServed.StatusCode.Should().Be(HttpStatusCode.OK, "the client access token is untouched");
    }

    [Theory]
    [InlineData(BadCredential.Missing)]
    [InlineData(BadCredential.Malformed)]
    [InlineData(BadCredential.Expired)]
    [InlineData(BadCredential.OtherClients)]
    [InlineData(BadCredential.Revoked)]
    public async Task Delete_WithoutValidClientToken_Returns401AndKeepsSignatures(BadCredential kind)
    {
        var signature = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);
        var (clientId, authorization) = await BadCredentials.BearerAsync(kind, fixture);
        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Delete, $"/auth/signature-token?clientId={clientId}", authorization);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);

        using var valid = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post,
            BadCredentials.WithSignature($"/auth/validate-signature-token?clientId={Stack.ClientId}", signature));
        valid.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Lifetime_Configured_ExpiresExactlyThen()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TunnelServer.StartAsync(new ServerSettings
        {
            Extra = { ["Tunnel:Auth:SignatureTokenLifetime"] = "01:00:00" },
            ConfigureServices = TokenStoreClock.Use(clock),
        });
        var token = await server.RegisterClientAsync("short-lived");
        var signature = await AuthApi.CreateSignatureAsync(server, "short-lived", token);
        var url = BadCredentials.WithSignature("/auth/validate-signature-token?clientId=short-lived", signature);

        clock.Advance(TimeSpan.FromMinutes(59));
        using (var stillValid = await AuthApi.SendAsync(server, HttpMethod.Post, url))
        {
            stillValid.StatusCode.Should().Be(HttpStatusCode.OK);
            (await stillValid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean().Should().BeTrue();
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        using var expired = await AuthApi.SendAsync(server, HttpMethod.Post, url);
        await expired.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }
}
