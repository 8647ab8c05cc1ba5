using System.Net;
using System.Security.Cryptography;
using System.Text;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Issue 10, kind 3: conflicting framing from the origin (RFC 9112 §6.1, §6.3). Transfer-Encoding wins over
/// Content-Length, which is dropped, and the whole body arrives; Content-Length values that disagree are a 502; a body
/// cut short never looks complete, streamed (aborted) or buffered (502).
/// </summary>
public sealed class ConflictingFramingTests : IClassFixture<RawOriginStackFixture>
{
    private readonly RawOriginStack _stack;

    public ConflictingFramingTests(RawOriginStackFixture fixture)
    {
        _stack = fixture.Stack;
        var origin = _stack.Origin;
        foreach (var (name, length, declared) in new[] { ("te-cl-small", 1_000, 5L), ("te-cl-large", 108_000, 5L), ("te-cl-over", 108_000, 5_000_000L) })
        {
            var body = RawTunnelCall.Pattern(length, seed: length);
            origin.Map("/" + name, async (_, stream, ct) =>
            {
                await stream.WriteAsync(RawOrigin.Head("HTTP/1.1 200 OK", $"Content-Length: {declared}", "Transfer-Encoding: chunked"), ct);
                await RawTunnelCall.WriteChunkedAsync(stream, body, ct);
                return true;
            });
        }

        origin.MapBytes("/two-lengths-small", [.. RawOrigin.Head("HTTP/1.1 200 OK", "Content-Length: 5", "Content-Length: 10"), .. "0123456789"u8.ToArray()]);
        origin.MapBytes("/two-lengths-list", [.. RawOrigin.Head("HTTP/1.1 200 OK", "Content-Length: 5, 10"), .. "0123456789"u8.ToArray()]);
        origin.MapBytes("/two-lengths-large", [.. RawOrigin.Head("HTTP/1.1 200 OK", "Content-Length: 100000", "Content-Length: 200000"), .. RawTunnelCall.Pattern(200_000)]);
        origin.MapBytes("/same-lengths", [.. RawOrigin.Head("HTTP/1.1 200 OK", "Content-Length: 10", "Content-Length: 10"), .. "0123456789"u8.ToArray()]);
        foreach (var (name, declared, sent) in new[] { ("short-small", 1_000, 500), ("short-large", 1_000_000, 300_000) })
        {
            origin.Map("/" + name, async (_, stream, ct) =>
            {
                await stream.WriteAsync((byte[])[.. RawOrigin.Head("HTTP/1.1 200 OK", $"Content-Length: {declared}"), .. RawTunnelCall.Pattern(sent)], ct);
                return false;
            });
        }

        origin.Map("/chunked-cut", async (_, stream, ct) =>
        {
            // A chunk announced as 0x30000 bytes, of which only 100,000 come before the connection closes.
            await stream.WriteAsync((byte[])[.. RawOrigin.Head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked")[..^2], .. "\r\n30000\r\n"u8.ToArray(), .. RawTunnelCall.Pattern(100_000)], ct);
            return false;
        });
    }

    [Theory]
    [InlineData("/te-cl-small", 1_000, false)]
    [InlineData("/te-cl-small", 1_000, true)]
    [InlineData("/te-cl-large", 108_000, false)]
    [InlineData("/te-cl-large", 108_000, true)]
    [InlineData("/te-cl-over", 108_000, false)]
    [InlineData("/te-cl-over", 108_000, true)]
    public async Task ContentLengthBesideChunked_TransferEncodingWins_WholeBodyArrives(string path, int length, bool buffered)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = _stack.CreateClient();
        using var request = Request(path, buffered);

        using var response = await http.SendAsync(request, cts.Token);
        var body = await response.Content.ReadAsByteArrayAsync(cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        SHA256.HashData(body).Should().Equal(SHA256.HashData(RawTunnelCall.Pattern(length, seed: length)));
        (response.Content.Headers.ContentLength ?? length).Should().Be(length, "a Content-Length beside chunked is dropped");
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData("/two-lengths-small", false)]
    [InlineData("/two-lengths-small", true)]
    [InlineData("/two-lengths-list", false)]
    [InlineData("/two-lengths-list", true)]
    [InlineData("/two-lengths-large", false)]
    [InlineData("/two-lengths-large", true)]
    public async Task ContentLengthsThatDisagree_Are502(string path, bool buffered)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = _stack.CreateClient();
        using var request = Request(path, buffered);

        using var response = await http.SendAsync(request, cts.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EqualContentLengths_AreOneLength_BodyArrives(bool buffered)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = _stack.CreateClient();
        using var request = Request("/same-lengths", buffered);

        using var response = await http.SendAsync(request, cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Encoding.ASCII.GetString(await response.Content.ReadAsByteArrayAsync(cts.Token)).Should().Be("0123456789");
    }

    [Theory]
    [InlineData("/short-small")]
    [InlineData("/short-large")]
    [InlineData("/chunked-cut")]
    public async Task TruncatedBody_Streamed_NeverEndsCleanly(string path)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = _stack.CreateClient();
        using var request = Request(path, buffered: false);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);

        if (response.StatusCode == HttpStatusCode.OK)
        {
            var read = () => BodyHash.ReadAsync(response, cts.Token);
            await read.Should().ThrowAsync<IOException>("a truncated body must not end cleanly");
        }
        else
        {
            // Cut before the head went out (a small body travels whole): then a 502 says so.
            await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        }

        cts.IsCancellationRequested.Should().BeFalse("the error must come from the tunnel, not from the test's timeout");
    }

    [Theory]
    [InlineData("/short-small")]
    [InlineData("/short-large")]
    [InlineData("/chunked-cut")]
    public async Task TruncatedBody_Buffered_Is502(string path)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = _stack.CreateClient();
        using var request = Request(path, buffered: true);

        using var response = await http.SendAsync(request, cts.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
    }

    private HttpRequestMessage Request(string path, bool buffered)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _stack.Url(path));
        if (buffered)
        {
            request.Headers.Add("X-Tunnel-Response", "buffered");
        }

        return request;
    }
}
