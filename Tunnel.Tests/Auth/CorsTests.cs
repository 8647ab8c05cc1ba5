using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>CORS as the original: any origin reflected with credentials, any method and header, media headers exposed.</summary>
public sealed class CorsTests(AuthStackFixture fixture) : IClassFixture<AuthStackFixture>
{
    private const string WebApp = "https://music.example.com";

    private TunnelStack Stack => fixture.Stack;

    [Fact]
    public async Task Preflight_AnyOrigin_AnsweredByTunnelWithReflectedOrigin()
    {
        using var http = Stack.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, Stack.Url("/files/track"));
        request.Headers.Add("Origin", WebApp);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,range,moosicbox-profile");
        var before = Stack.Origin.Requests;

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(WebApp);
        response.Headers.GetValues("Access-Control-Allow-Credentials").Should().Equal("true");
        response.Headers.GetValues("Access-Control-Allow-Methods").Single().Should().Contain("GET");
        response.Headers.GetValues("Access-Control-Allow-Headers").Single().Split(',').Select(h => h.Trim())
            .Should().Contain(["authorization", "range", "moosicbox-profile"]);
        Stack.Origin.Requests.Should().Be(before, "a preflight never reaches the home server");
    }

    [Fact]
    public async Task SimpleRequest_ForwardedAnswer_CarriesCorsHeadersAndExposesMediaHeaders()
    {
        using var http = Stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Stack.Url("/files/track"));
        request.Headers.Add("Origin", WebApp);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 9);

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(WebApp);
        response.Headers.GetValues("Access-Control-Allow-Credentials").Should().Equal("true");
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(',').Select(h => h.Trim());
        exposed.Should().Contain(["Content-Range", "Content-Length", "Accept-Ranges", "Content-Type"]);
    }

    [Fact]
    public async Task Refusal_CarriesCorsHeaders_SoBrowsersCanReadIt()
    {
        using var http = Stack.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Stack.Url("/json"));
        request.Headers.Add("Origin", WebApp);
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(WebApp);
    }

    [Fact]
    public async Task ConfiguredOrigins_OnlyThoseAreAllowed()
    {
        await using var server = await TunnelServer.StartAsync(new ServerSettings
        {
            Extra = { ["Tunnel:Cors:AllowedOrigins"] = "https://allowed.example, http://localhost:3000" },
        });
        using var http = server.CreateClient();
        foreach (var (origin, allowed) in new[] { ("https://allowed.example", true), ("http://localhost:3000", true), (WebApp, false) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/files/track?clientId=x");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            using var response = await http.SendAsync(request);
            response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values).Should().Be(allowed, origin);
            if (allowed)
            {
                values.Should().Equal(origin);
            }
        }
    }

    /// <summary>The original's allowed request headers (MoosicBox web app, htmx pages): a preflight for them passes.</summary>
    [Fact]
    public async Task Preflight_OriginalsRequestHeaders_AreAllowed()
    {
        string[] asked = ["authorization", "accept", "content-type", "moosicbox-profile", "hx-request", "hx-current-url", "hx-target", "hx-trigger"];
        using var http = Stack.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, Stack.Url("/menu/albums"));
        request.Headers.Add("Origin", WebApp);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", string.Join(",", asked));
        var before = Stack.Origin.Requests;

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(WebApp);
        response.Headers.GetValues("Access-Control-Allow-Headers").Single().Split(',').Select(h => h.Trim())
            .Should().Contain(asked);
        response.Headers.GetValues("Access-Control-Max-Age").Should().Equal("3600");
        Stack.Origin.Requests.Should().Be(before);
    }

    /// <summary>The original's exposed htmx response headers, beside ours, on a forwarded answer.</summary>
    [Fact]
    public async Task ForwardedAnswer_ExposesHtmxHeadersBesideMediaHeaders()
    {
        using var http = Stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Stack.Url("/json"));
        request.Headers.Add("Origin", WebApp);
        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(',').Select(h => h.Trim().ToLowerInvariant());
        exposed.Should().Contain(
            ["hx-location", "hx-push-url", "hx-redirect", "hx-refresh", "hx-replace-url", "hx-reswap", "hx-retarget",
             "hx-reselect", "hx-trigger", "hx-trigger-after-settle", "hx-trigger-after-swap",
             "content-range", "content-length", "accept-ranges", "content-type", "content-disposition", "content-encoding",
             "etag", "last-modified", "retry-after", "www-authenticate"]);
    }
}
