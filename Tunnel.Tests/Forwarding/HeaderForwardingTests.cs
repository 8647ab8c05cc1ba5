using System.Net;
using System.Net.Http.Headers;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// End-to-end header fields cross the tunnel both ways; hop-by-hop fields (RFC 9110 §7.6.1), the tunnel's own
/// Authorization and X-Tunnel-* fields do not.
/// </summary>
public sealed class HeaderForwardingTests(StackFixture fixture) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    // Outlives each response: the body is read after the helper returns.
    private readonly HttpClient _http = fixture.Stack.CreateClient();

    private const string Echoed = "X-Echo-Header-";

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task RequestHeaders_MixedFields_OnlyEndToEndFieldsReachOrigin(string mode)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url("/echo/headers"));
        request.Headers.Add("X-Custom", "custom value");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.TryAddWithoutValidation("Cookie", "session=abc; theme=dark");
        request.Headers.Range = new RangeHeaderValue(0, 9);
        request.Headers.Connection.Add("X-Connection-Listed");
        request.Headers.Add("X-Connection-Listed", "hop");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TE.ParseAdd("trailers");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic Zm9vOmJhcg==");
        request.Headers.TryAddWithoutValidation("Proxy-Custom", "hop");
        request.Headers.Add("X-Tunnel-Response", mode);
        request.Headers.Add("X-Tunnel-Trace", "tunnel only");

        using var response = await http.SendAsync(request, cts.Token);
        var seen = response.Headers
            .Where(h => h.Key.StartsWith(Echoed, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key[Echoed.Length..], h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        seen.Should().Contain("X-Custom", "custom value");
        seen.Should().Contain("Accept", "application/json");
        seen.Should().Contain("Cookie", "session=abc; theme=dark");
        seen.Should().Contain("Range", "bytes=0-9");
        seen.Should().Contain("Host", stack.Origin.BaseAddress.Authority, "the agent sets the origin's Host");
        seen.Keys.Should().NotContain(
            ["Authorization", "Connection", "X-Connection-Listed", "Keep-Alive", "TE", "Upgrade", "Proxy-Authorization",
             "Proxy-Custom", "X-Tunnel-Response", "X-Tunnel-Trace", "Transfer-Encoding"]);
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task ResponseHeaders_HopByHopFromOrigin_RemovedAndOthersKept(string mode)
    {
        using var response = await GetAsync("/hop-headers", mode);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-End-To-End").Should().Equal("kept");
        response.Headers.CacheControl!.MaxAge.Should().Be(TimeSpan.FromSeconds(60));
        var names = response.Headers.Select(h => h.Key).ToList();
        names.Should().NotContain(["X-Connection-Listed", "Keep-Alive", "Proxy-Authenticate", "Proxy-Custom", "Upgrade"]);
        response.Headers.Connection.Should().NotContain("X-Connection-Listed");
        (await response.Content.ReadAsStringAsync()).Should().Be("hop");
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task ResponseHeaders_RepeatedSetCookie_BothKeptInOrder(string mode)
    {
        using var response = await GetAsync("/cookies", mode);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Set-Cookie").Should().Equal("a=1; Path=/", "b=2; Path=/");
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task ResponseHeaders_OriginContentLength_Kept(string mode)
    {
        using var response = await GetAsync("/files/100000", mode);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(100_000);
        response.Headers.TransferEncodingChunked.Should().NotBe(true);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
        response.Headers.AcceptRanges.Should().Contain("bytes");
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(100_000));
    }

    [Fact]
    public async Task ResponseHeaders_ChunkedOriginStreamed_StaysWithoutContentLength()
    {
        using var response = await GetAsync("/drip/3/0", "streamed");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().BeNull();
        response.Headers.TransferEncodingChunked.Should().BeTrue();
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Length.Should().Be(3 * 64 * 1024);
    }

    [Fact]
    public async Task ResponseHeaders_JsonFromOrigin_ContentTypeKept()
    {
        using var response = await GetAsync("/json", "streamed");

        response.Content.Headers.ContentType!.ToString().Should().Be("application/json; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).Should().Be("{\"hello\":\"world\",\"items\":[1,2,3]}");
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string mode)
    {
        var stack = fixture.Stack;
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url(path));
        request.Headers.Add("X-Tunnel-Response", mode);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Headers as the tunnel sent them: buffering the body here would make HttpClient compute a Content-Length.
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
    }

    public void Dispose()
    {
        _http.Dispose();
        _logs.ShouldHaveNoErrors();
    }
}
