using System.Net;
using System.Net.Http.Json;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>Two clients, two agents, one server: every request reaches only its own client's home server.</summary>
public sealed class IsolationTests : IAsyncLifetime
{
    private TwoClientStack _stack = null!;

    public async Task InitializeAsync() => _stack = await TwoClientStack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Requests_Interleaved_EachReachesOnlyItsOwnOrigin()
    {
        var signatureA = await AuthApi.CreateSignatureAsync(_stack.Server, TwoClientStack.ClientA, _stack.TokenA);
        var signatureB = await AuthApi.CreateSignatureAsync(_stack.Server, TwoClientStack.ClientB, _stack.TokenB);
        using var httpA = _stack.CreateClient(_stack.TokenA);
        using var httpB = _stack.CreateClient(_stack.TokenB);
        using var anonymous = _stack.Server.CreateClient();
        var beforeA = _stack.OriginA.Requests;
        var beforeB = _stack.OriginB.Requests;

        var calls = Enumerable.Range(0, 10).SelectMany(_ => new Func<Task<(int Seed, string Body)>>[]
        {
            async () => (TwoClientStack.SeedA, await BodyAsync(httpA, $"/files/track?clientId={TwoClientStack.ClientA}")),
            async () => (TwoClientStack.SeedB, await BodyAsync(httpB, $"/files/track?clientId={TwoClientStack.ClientB}")),
            async () => (TwoClientStack.SeedA, await BodyAsync(anonymous, $"/files/track?clientId={TwoClientStack.ClientA}&signature={signatureA}")),
            async () => (TwoClientStack.SeedB, await BodyAsync(anonymous, $"/files/track?clientId={TwoClientStack.ClientB}&signature={signatureB}")),
        }).Select(call => call());
        foreach (var (seed, sha) in await Task.WhenAll(calls))
        {
            sha.Should().Be(ExpectedBody.TrackSha256(seed));
        }

        using var coverA = await anonymous.GetAsync($"/files/albums/5/80?clientId={TwoClientStack.ClientA}&signature={signatureA}");
        (await coverA.Content.ReadAsStringAsync()).Should().Be($"albums/5/80/seed-{TwoClientStack.SeedA}");
        using var coverB = await anonymous.GetAsync($"/files/albums/5/80?clientId={TwoClientStack.ClientB}&signature={signatureB}");
        (await coverB.Content.ReadAsStringAsync()).Should().Be($"albums/5/80/seed-{TwoClientStack.SeedB}");

        (_stack.OriginA.Requests - beforeA).Should().Be(21);
        (_stack.OriginB.Requests - beforeB).Should().Be(21);
    }

    [Fact]
    public async Task CrossClientCredentials_AreRefusedAndReachNoOrigin()
    {
        var signatureA = await AuthApi.CreateSignatureAsync(_stack.Server, TwoClientStack.ClientA, _stack.TokenA);
        var beforeA = _stack.OriginA.Requests;
        var beforeB = _stack.OriginB.Requests;
        using var httpA = _stack.CreateClient(_stack.TokenA);
        using var anonymous = _stack.Server.CreateClient();

        using (var tokenOfA = await httpA.GetAsync($"/json?clientId={TwoClientStack.ClientB}"))
        {
            await tokenOfA.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        }

        using (var signatureOfA = await anonymous.GetAsync($"/files/track?clientId={TwoClientStack.ClientB}&signature={signatureA}"))
        {
            await signatureOfA.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        }

        using (var signatureForToken = await AuthApi.SendAsBearerAsync(_stack.Server, HttpMethod.Post, $"/auth/signature-token?clientId={TwoClientStack.ClientB}", _stack.TokenA))
        {
            await signatureForToken.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        }

        _stack.OriginA.Requests.Should().Be(beforeA);
        _stack.OriginB.Requests.Should().Be(beforeB);
    }

    [Fact]
    public async Task MagicToken_GoesToItsOwnersHomeServer_WhateverClientIdIsAdded()
    {
        var magic = Guid.NewGuid().ToString();
        await AuthApi.RegisterMagicAsync(_stack.Server, TwoClientStack.ClientA, _stack.TokenA, magic);
        using var response = await _stack.Server.CreateClient().GetAsync($"/auth/magic-token?magicToken={magic}&clientId={TwoClientStack.ClientB}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<MagicTokenAnswer>())!.Seed.Should().Be(TwoClientStack.SeedA);
    }

    private static async Task<string> BodyAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await ExpectedBody.Sha256Async(response);
    }
}
