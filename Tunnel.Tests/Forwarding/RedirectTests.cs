using System.Net;
using System.Security.Cryptography;
using System.Text;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Issue 10, kind 5: the origin learns the caller's view (X-Forwarded-Proto/Host/For), and a <c>Location</c> that
/// points at the origin itself — absolute with the Host it saw, or relative — is rewritten to the tunnel's public
/// address with the clientId, so that following it comes back through the tunnel. Locations elsewhere stay.
/// </summary>
public sealed class RedirectTests : IClassFixture<RawOriginStackFixture>
{
    private static readonly byte[] LargeBody = RawTunnelCall.Pattern(200_000, seed: 9);

    private readonly RawOriginStack _stack;

    public RedirectTests(RawOriginStackFixture fixture)
    {
        _stack = fixture.Stack;
        var origin = _stack.Origin;
        MapRedirect("/go-absolute", 302, host => $"http://{host}/home?from=absolute", []);
        MapRedirect("/go-absolute-large", 302, host => $"http://{host}/home?from=large", LargeBody);
        MapRedirect("/go-relative", 302, _ => "/home?from=relative", []);
        MapRedirect("/go-path-relative", 303, _ => "home?from=path", []);
        MapRedirect("/go-created", 201, host => $"http://{host}/home", "{}"u8.ToArray());
        MapRedirect("/go-elsewhere", 302, _ => "https://example.com/login?next=1", []);
        origin.Map("/home", async (request, stream, ct) =>
        {
            var body = Encoding.UTF8.GetBytes($"home {request.Target}");
            await stream.WriteAsync((byte[])[.. RawOrigin.Head("HTTP/1.1 200 OK", $"Content-Length: {body.Length}"), .. body], ct);
            return true;
        });
    }

    [Theory]
    [InlineData("/go-absolute", "from=absolute", false)]
    [InlineData("/go-absolute", "from=absolute", true)]
    [InlineData("/go-absolute-large", "from=large", false)]
    [InlineData("/go-absolute-large", "from=large", true)]
    [InlineData("/go-relative", "from=relative", false)]
    [InlineData("/go-relative", "from=relative", true)]
    [InlineData("/go-path-relative", "from=path", false)]
    [InlineData("/go-path-relative", "from=path", true)]
    public async Task RedirectToOrigin_IsRewrittenToTunnel_AndFollowingItWorks(string path, string query, bool buffered)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = CreateClient();

        using var response = await http.SendAsync(Request(_stack.Url(path), buffered), cts.Token);
        var body = await response.Content.ReadAsByteArrayAsync(cts.Token);
        var location = response.Headers.Location!;

        ((int)response.StatusCode).Should().BeOneOf(302, 303);
        location.ToString().Should().Be($"{_stack.Server.BaseAddress.GetLeftPart(UriPartial.Authority)}/home?{query}&clientId={_stack.ClientId}");
        if (path.EndsWith("large", StringComparison.Ordinal))
        {
            SHA256.HashData(body).Should().Equal(SHA256.HashData(LargeBody));
        }

        // Follow it, as a browser would: it comes back through the tunnel to the same home server.
        using var followed = await http.SendAsync(Request(location.ToString(), buffered), cts.Token);
        followed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await followed.Content.ReadAsStringAsync(cts.Token)).Should().Be($"home /home?{query}&clientId={_stack.ClientId}");
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreatedWithLocation_IsRewrittenToTunnel(bool buffered)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = CreateClient();

        using var response = await http.SendAsync(Request(_stack.Url("/go-created"), buffered), cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.ToString().Should().Be($"{_stack.Server.BaseAddress.GetLeftPart(UriPartial.Authority)}/home?clientId={_stack.ClientId}");
        (await response.Content.ReadAsStringAsync(cts.Token)).Should().Be("{}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RedirectElsewhere_IsLeftAlone(bool buffered)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = CreateClient();

        using var response = await http.SendAsync(Request(_stack.Url("/go-elsewhere"), buffered), cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.Found);
        response.Headers.Location!.ToString().Should().Be("https://example.com/login?next=1");
    }

    [Fact]
    public async Task Origin_IsToldTheCallersView_ByXForwardedHeaders()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = CreateClient();
        var marker = Guid.NewGuid().ToString("N");
        using var request = Request(_stack.Url("/home?n=" + marker), buffered: false);
        // What a caller claims is kept (appended to), never trusted as the tunnel's own view.
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        request.Headers.Add("X-Forwarded-Host", "evil.example");

        using var response = await http.SendAsync(request, cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var seen = _stack.Origin.Requests.Single(r => r.Target.Contains(marker, StringComparison.Ordinal));
        seen["X-Forwarded-Proto"].Should().Be("http");
        seen["X-Forwarded-Host"].Should().Be(_stack.Server.BaseAddress.Authority);
        seen["X-Forwarded-For"].Should().Be("198.51.100.7, 127.0.0.1");
        seen.Headers.Count(h => h.Name.Equals("X-Forwarded-Host", StringComparison.OrdinalIgnoreCase)).Should().Be(1);
        seen["Host"].Should().Be(_stack.Origin.BaseAddress.Authority, "the origin is still called at its own address");
    }

    private void MapRedirect(string path, int status, Func<string, string> location, byte[] body) =>
        _stack.Origin.Map(path, async (request, stream, ct) =>
        {
            var reason = status == 201 ? "Created" : "Found";
            await stream.WriteAsync((byte[])[
                .. RawOrigin.Head($"HTTP/1.1 {status} {reason}", $"Location: {location(request["Host"]!)}", $"Content-Length: {body.Length}"),
                .. body], ct);
            return true;
        });

    /// <summary>A client that shows redirects instead of following them (it would drop Authorization when it did).</summary>
    private HttpClient CreateClient()
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _stack.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _stack.Token);
        return http;
    }

    private static HttpRequestMessage Request(string url, bool buffered)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (buffered)
        {
            request.Headers.Add("X-Tunnel-Response", "buffered");
        }

        return request;
    }
}
