using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Auth;
using Tunnel.Server.Registry;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary><c>POST /auth/magic-token</c> (the home server registers) and <c>GET /auth/magic-token</c> (used once).</summary>
public sealed class MagicTokenTests(AuthStackFixture fixture) : IClassFixture<AuthStackFixture>
{
    private TunnelStack Stack => fixture.Stack;

    private static string NewMagic() => Guid.NewGuid().ToString();

    [Fact]
    public async Task Register_WithClientToken_ReturnsSuccessAndStoresOnlyTheHash()
    {
        var magic = NewMagic();
        using var response = await AuthApi.SendAsBearerAsync(Stack.Server, HttpMethod.Post,
            $"/auth/magic-token?clientId={Stack.ClientId}&magicToken={magic}", Stack.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"success":true}""");

        var factory = Stack.Server.Services.GetRequiredService<IDbContextFactory<TunnelDbContext>>();
        await using var db = factory.CreateDbContext();
        var row = await db.MagicTokens.SingleAsync(t => t.MagicTokenHash == TokenHasher.Hash(magic));
        row.ClientId.Should().Be(Stack.ClientId);
        row.Expires.Should().Be(fixture.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(10));
    }

    [Theory]
    [InlineData(BadCredential.Missing)]
    [InlineData(BadCredential.Malformed)]
    [InlineData(BadCredential.Expired)]
    [InlineData(BadCredential.OtherClients)]
    [InlineData(BadCredential.Revoked)]
    public async Task Register_WithoutValidClientToken_Returns401(BadCredential kind)
    {
        var (clientId, authorization) = await BadCredentials.BearerAsync(kind, fixture);
        var magic = NewMagic();
        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Post, $"/auth/magic-token?clientId={clientId}&magicToken={magic}", authorization);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);

        using var use = await Stack.Server.CreateClient().GetAsync($"/auth/magic-token?magicToken={magic}");
        await use.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&magicToken=")]
    [InlineData("&magicToken=short")]
    [InlineData("&magicToken=has%20a%20space%20in%20it%20ok")]
    [InlineData("&magicToken=aaaaaaaaaaaaaaaaaaaa&magicToken=bbbbbbbbbbbbbbbbbbbbbb")]
    public async Task Register_MissingOrMalformedMagicToken_Returns400(string query)
    {
        using var response = await AuthApi.SendAsBearerAsync(Stack.Server, HttpMethod.Post, $"/auth/magic-token?clientId={Stack.ClientId}{query}", Stack.Token);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Register_TokenHeldByAnotherClient_Returns409AndKeepsOwner()
    {
        var magic = NewMagic();
        await AuthApi.RegisterMagicAsync(Stack.Server, Stack.ClientId, Stack.Token, magic);
        var thief = "thief-" + Guid.NewGuid().ToString("N")[..8];
        var thiefToken = await Stack.Server.RegisterClientAsync(thief);
        using var response = await AuthApi.SendAsBearerAsync(Stack.Server, HttpMethod.Post, $"/auth/magic-token?clientId={thief}&magicToken={magic}", thiefToken);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Conflict);

        using var use = await Stack.Server.CreateClient().GetAsync($"/auth/magic-token?magicToken={magic}");
        use.StatusCode.Should().Be(HttpStatusCode.OK);
        (await use.Content.ReadFromJsonAsync<MagicTokenAnswer>())!.Seed.Should().Be(Stack.Origin.Seed);
    }

    [Fact]
    public async Task Use_Registered_ForwardsToHomeServerExactlyOnce()
    {
        var magic = NewMagic();
        await AuthApi.RegisterMagicAsync(Stack.Server, Stack.ClientId, Stack.Token, magic);
        using var http = Stack.Server.CreateClient();

        using var first = await http.GetAsync($"/auth/magic-token?magicToken={magic}");
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = await first.Content.ReadFromJsonAsync<MagicTokenAnswer>();
        answer.Should().Be(new MagicTokenAnswer(magic, Stack.Origin.Seed, $"/auth/magic-token?magicToken={magic}", string.Empty));

        using var second = await http.GetAsync($"/auth/magic-token?magicToken={magic}");
        await second.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Use_ExtraQueryAndHeaders_HomeServerGetsOnlyTheOriginalsRequest()
    {
        var magic = NewMagic();
        await AuthApi.RegisterMagicAsync(Stack.Server, Stack.ClientId, Stack.Token, magic);
        using var response = await AuthApi.SendAsync(Stack.Server, HttpMethod.Get,
            $"/auth/magic-token?clientId=someone-else&magicToken={magic}&extra=1", "Bearer " + Stack.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = await response.Content.ReadFromJsonAsync<MagicTokenAnswer>();
        answer!.Target.Should().Be($"/auth/magic-token?magicToken={magic}");
        answer.Authorization.Should().BeEmpty("credentials are never forwarded");
    }

    [Fact]
    public async Task Use_Concurrently_OnlyOneWins()
    {
        var magic = NewMagic();
        await AuthApi.RegisterMagicAsync(Stack.Server, Stack.ClientId, Stack.Token, magic);
        using var http = Stack.Server.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => http.GetAsync($"/auth/magic-token?magicToken={magic}")));
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized).Should().Be(7);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("/auth/magic-token")]
    [InlineData("/auth/magic-token?magicToken=")]
    [InlineData("/auth/magic-token?magicToken=short")]
    [InlineData("/auth/magic-token?magicToken=00000000-0000-0000-0000-000000000000")]
    public async Task Use_MissingMalformedOrUnknown_Returns401(string url)
    {
        using var response = await Stack.Server.CreateClient().GetAsync(url);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Use_AfterLifetime_Returns401()
    {
        var magic = NewMagic();
        await AuthApi.RegisterMagicAsync(Stack.Server, Stack.ClientId, Stack.Token, magic);
        fixture.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var response = await Stack.Server.CreateClient().GetAsync($"/auth/magic-token?magicToken={magic}");
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Use_ClientRevoked_Returns401()
    {
        var client = "revoked-" + Guid.NewGuid().ToString("N")[..8];
        var token = await Stack.Server.RegisterClientAsync(client);
        var magic = NewMagic();
        await AuthApi.RegisterMagicAsync(Stack.Server, client, token, magic);
        await AuthApi.RevokeClientAsync(Stack.Server, client);
        using var response = await Stack.Server.CreateClient().GetAsync($"/auth/magic-token?magicToken={magic}");
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Use_HomeServerNotConnected_Returns424AndKeepsToken()
    {
        var client = "offline-" + Guid.NewGuid().ToString("N")[..8];
        var token = await Stack.Server.RegisterClientAsync(client);
        var magic = NewMagic();
        await AuthApi.RegisterMagicAsync(Stack.Server, client, token, magic);
        for (var i = 0; i < 2; i++)
        {
            using var response = await Stack.Server.CreateClient().GetAsync($"/auth/magic-token?magicToken={magic}");
            await response.ShouldBeAuthProblemAsync(HttpStatusCode.FailedDependency);
        }
    }
}
