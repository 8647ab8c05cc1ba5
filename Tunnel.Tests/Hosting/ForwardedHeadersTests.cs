using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Hosting;

/// <summary>
/// Behind a reverse proxy the server sees each caller's address from X-Forwarded-For, but only when the proxy is a
/// configured trusted one (<c>Tunnel:ForwardedHeaders</c>); the failed-auth limiter and the logs use that address.
/// </summary>
public sealed class ForwardedHeadersTests(ProxiedStackFixture fixture) : IClassFixture<ProxiedStackFixture>
{
    private const int Limit = ProxiedStackFixture.Limit;

    private TunnelStack Stack => fixture.Stack;

    [Fact]
    public async Task RateLimiter_TwoCallersBehindNginx_AreLimitedSeparately()
    {
        using var first = Caller(fixture.Nginx.BaseAddress, "127.0.0.2", "wrong-token-" + Guid.NewGuid());
        for (var i = 0; i < Limit; i++)
        {
            using var refused = await first.GetAsync(Stack.Url("/json"));
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using (var limited = await first.GetAsync(Stack.Url("/json")))
        {
            limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        }

        // The second caller reaches the server through the same nginx (same connection address, 127.0.0.1) and is
        // neither limited by the first one's failures nor charged for them.
        using var second = Caller(fixture.Nginx.BaseAddress, "127.0.0.3", Stack.Token);
        using (var served = await second.GetAsync(Stack.Url("/files/100000")))
        {
            served.StatusCode.Should().Be(HttpStatusCode.OK);
            (await BodyHash.ReadAsync(served, CancellationToken.None)).Should().Be(BodyHash.OfPattern(100_000));
        }

        second.DefaultRequestHeaders.Authorization = new("Bearer", "wrong-token-" + Guid.NewGuid());
        using (var refusedOnce = await second.GetAsync(Stack.Url("/json")))
        {
            refusedOnce.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the second caller has failures left of its own");
        }

        var refusals = AuthAddresses("AuthRefused");
        refusals.Should().Contain("127.0.0.2").And.Contain("127.0.0.3").And.NotContain("127.0.0.1");
        AuthAddresses("AuthRateLimited").Should().Contain("127.0.0.2");
    }

    [Fact]
    public async Task ForgedForwardedFor_FromUntrustedAddress_ChangesNothing()
    {
        // Sent straight to the server from 127.0.0.4, which is not a trusted proxy: every attempt claims another
        // address, yet all are charged to 127.0.0.4 and it is limited after the same number of failures.
        using var forger = Caller(Stack.Server.BaseAddress, "127.0.0.4", "wrong-token-" + Guid.NewGuid());
        for (var i = 0; i <= Limit; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Stack.Url("/json"));
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            using var response = await forger.SendAsync(request);
            response.StatusCode.Should().Be(i < Limit ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests);
        }

        // Through nginx, a forged entry in front of what nginx appends is not trusted either: the caller is the
        // address nginx saw (127.0.0.5), not the one it claimed.
        using var throughNginx = Caller(fixture.Nginx.BaseAddress, "127.0.0.5", "wrong-token-" + Guid.NewGuid());
        using var forged = new HttpRequestMessage(HttpMethod.Get, Stack.Url("/json"));
        forged.Headers.Add("X-Forwarded-For", "198.51.100.77");
        using var refused = await throughNginx.SendAsync(forged);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var addresses = AuthAddresses("AuthRefused");
        addresses.Should().Contain("127.0.0.4").And.Contain("127.0.0.5");
        addresses.Should().NotContain(a => a.StartsWith("198.51.100.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardedFor_NoTrustedProxyConfigured_IsIgnoredEvenFromLoopback()
    {
        // The framework trusts loopback by default; the tunnel does not, so a local process cannot pick its address.
        await using var server = await TunnelServer.StartAsync();
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/validate-signature-token?clientId=x&signature=wrong-signature-0123456789");
        request.Headers.Add("X-Forwarded-For", "198.51.100.9");
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        server.Logs.GetSnapshot().Where(r => r.Id.Name == "AuthRefused").Select(Address)
            .Should().ContainSingle().Which.Should().Be("127.0.0.1");
    }

    [Fact]
    public async Task Agent_ConnectedThroughNginx_ServesRequestsByteExact()
    {
        // The README's nginx configuration carries the agent's WebSocket too.
        var clientId = "via-nginx-" + Guid.NewGuid().ToString("N")[..6];
        var token = await Stack.Server.RegisterClientAsync(clientId);
        await using var agent = await AgentHost.StartAsync(fixture.Nginx.BaseAddress, clientId, token, Stack.Origin.BaseAddress);
        (await Eventually.HoldsAsync(() => Stack.Server.Services.GetRequiredService<ConnectedAgents>().TryGet(clientId, out _), TimeSpan.FromSeconds(10)))
            .Should().BeTrue("the agent connects through nginx");

        using var http = Caller(fixture.Nginx.BaseAddress, "127.0.0.6", token);
        using var response = await http.GetAsync($"/files/2000000?clientId={clientId}", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(2_000_000));
    }

    [Fact]
    public async Task Request_ThroughNginx_OriginSeesNoOriginalHeadersAndAccessLogHasNoSecrets()
    {
        // The forwarded-headers middleware records what it replaced in X-Original-For/-Proto; that is the tunnel's
        // bookkeeping and must not reach the home server. The README's log_format keeps query secrets out of nginx's log.
        var secret = "signature-secret-" + Guid.NewGuid().ToString("N");
        using var http = Caller(fixture.Nginx.BaseAddress, "127.0.0.7", Stack.Token);
        using var response = await http.GetAsync($"/echo/headers?clientId={Stack.ClientId}&signature={secret}&magicToken={secret}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var seen = response.Headers.Select(h => h.Key).Where(k => k.StartsWith("X-Echo-Header-", StringComparison.OrdinalIgnoreCase)).ToList();
        seen.Should().Contain(k => k.Equals("X-Echo-Header-Host", StringComparison.OrdinalIgnoreCase), "the echo works");
        seen.Should().NotContain(k => k.StartsWith("X-Echo-Header-X-Original-", StringComparison.OrdinalIgnoreCase));
        response.Headers.GetValues("X-Echo-Header-X-Forwarded-For").Should().Equal(["127.0.0.7"],
            "the middleware applied nginx's X-Forwarded-For (else the check above proves nothing), and the agent appended the caller");
        (await Eventually.HoldsAsync(() => File.Exists(fixture.Nginx.AccessLogPath) && File.ReadAllText(fixture.Nginx.AccessLogPath).Contains("/echo/headers"), TimeSpan.FromSeconds(5)))
            .Should().BeTrue("nginx logs the request");
        (await File.ReadAllTextAsync(fixture.Nginx.AccessLogPath)).Should().NotContain(secret);
    }

    private static HttpClient Caller(Uri baseAddress, string source, string token)
    {
        var http = SourceAddressClient.Create(baseAddress, IPAddress.Parse(source));
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    private List<string> AuthAddresses(string eventName) =>
        [.. Stack.Server.Logs.GetSnapshot().Where(r => r.Id.Name == eventName).Select(Address)];

    private static string Address(FakeLogRecord record) =>
        record.StructuredState!.First(p => p.Key == "RemoteAddress").Value ?? "";
}
