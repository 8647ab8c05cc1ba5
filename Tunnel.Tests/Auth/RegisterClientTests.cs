using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Auth;
using Tunnel.Server.Registry;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

public sealed class RegisterClientTests : IAsyncLifetime
{
    private TunnelServer _server = null!;

    public async Task InitializeAsync() => _server = await TunnelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RegisterClient_WithAdminToken_ReturnsTokenAndStoresOnlyItsHash()
    {
        using var response = await PostAsync("/auth/register-client?clientId=home.1_a-b", TunnelServer.AdminToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("token");
        var token = json.RootElement.GetProperty("token").GetString()!;
        token.Length.Should().BeGreaterThanOrEqualTo(32);

        var factory = _server.Services.GetRequiredService<IDbContextFactory<TunnelDbContext>>();
        await using var db = factory.CreateDbContext();
        var stored = await db.ClientAccessTokens.SingleAsync(t => t.ClientId == "home.1_a-b");
        stored.TokenHash.Should().Be(TokenHasher.Hash(token)).And.NotContain(token);
        (await _server.Tokens.IsAccessTokenOfAsync("home.1_a-b", token, CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task RegisterClient_WrongAdminToken_RefusalLogNamesNoNullClient()
    {
        using var response = await PostAsync("/auth/register-client?clientId=logged", "wrong-admin-token-" + Guid.NewGuid());
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var refusal = _server.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Name == "AuthRefused").Subject;
        refusal.Message.Should().NotContain("(null)").And.Contain("refused for client (none)");
    }

    [Fact]
    public async Task RegisterClient_ClientIdGivenTwice_SaysGiveItOnce()
    {
        using var response = await PostAsync("/auth/register-client?clientId=a&clientId=b", TunnelServer.AdminToken);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Detail().Should().Contain("given once");
    }

    [Fact]
    public async Task RegisterClient_TwoCalls_GiveDifferentTokens()
    {
        var a = await _server.RegisterClientAsync("twice");
        var b = await _server.RegisterClientAsync("twice");
        a.Should().NotBe(b);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-admin-token-0123456789")]
    [InlineData("test-admin-token-012345678")]
    public async Task RegisterClient_WithoutValidAdminToken_Returns401Problem(string? adminToken)
    {
        using var response = await PostAsync("/auth/register-client?clientId=home", adminToken);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [InlineData("/auth/register-client")]
    [InlineData("/auth/register-client?clientId=")]
    [InlineData("/auth/register-client?clientId=has%20space")]
    [InlineData("/auth/register-client?clientId=slash%2Fx")]
    [InlineData("/auth/register-client?clientId=%C3%A9t%C3%A9")]
    [InlineData("/auth/register-client?clientId=a&clientId=b")]
    public async Task RegisterClient_InvalidClientId_Returns400Problem(string url)
    {
        using var response = await PostAsync(url, TunnelServer.AdminToken);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(400);
    }

    [Fact]
    public async Task RegisterClient_ClientIdOf65Chars_Returns400()
    {
        using var ok = await PostAsync("/auth/register-client?clientId=" + new string('a', 64), TunnelServer.AdminToken);
        ok.StatusCode.Should().Be(HttpStatusCode.OK);
        using var tooLong = await PostAsync("/auth/register-client?clientId=" + new string('a', 65), TunnelServer.AdminToken);
        tooLong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    private async Task<HttpResponseMessage> PostAsync(string url, string? adminToken)
    {
        using var http = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (adminToken is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + adminToken);
        }

        return await http.SendAsync(request);
    }
}
