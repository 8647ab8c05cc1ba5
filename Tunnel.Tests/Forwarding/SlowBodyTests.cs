using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Issue 10, kind 4: a body that trickles in is forwarded as it comes — headers at once, bytes as they arrive, a
/// complete 200 — even when it takes longer than <c>Agent:OriginTimeout</c>, which bounds the wait for headers only.
/// A body that stops is broken off after <c>Agent:OriginBodyIdleTimeout</c>.
/// </summary>
public sealed class SlowBodyTests : IClassFixture<SlowOriginStackFixture>
{
    private static readonly TimeSpan DripInterval = TimeSpan.FromMilliseconds(500);

    private readonly RawOriginStack _stack;

    public SlowBodyTests(SlowOriginStackFixture fixture)
    {
        _stack = fixture.Stack;
        var origin = _stack.Origin;
        // Small: 60,000 bytes (one chunk) in ten pieces; large: 300,000 bytes in four pieces, 0.5 s apart.
        foreach (var (name, length, pieces) in new[] { ("drip-small", 60_000, 10), ("drip-large", 300_000, 4) })
        {
            var body = RawTunnelCall.Pattern(length, seed: 7);
            origin.Map("/" + name, async (_, stream, ct) =>
            {
                await stream.WriteAsync(RawOrigin.Head("HTTP/1.1 200 OK", $"Content-Length: {length}"), ct);
                var piece = length / pieces;
                for (var i = 0; i < pieces; i++)
                {
                    if (i > 0)
                    {
                        await Task.Delay(DripInterval, ct);
                    }

                    await stream.WriteAsync(body.AsMemory(i * piece, piece), ct);
                    await stream.FlushAsync(ct);
                }

                return true;
            });
        }

        foreach (var (name, length, sent) in new[] { ("stall-small", 60_000, 6_000), ("stall-large", 600_000, 100_000) })
        {
            origin.Map("/" + name, async (_, stream, ct) =>
            {
                await stream.WriteAsync((byte[])[.. RawOrigin.Head("HTTP/1.1 200 OK", $"Content-Length: {length}"), .. RawTunnelCall.Pattern(sent)], ct);
                // Then silence, with the connection open, until the agent gives up and closes it.
                var one = new byte[1];
                while (await stream.ReadAsync(one, ct) > 0)
                {
                }

                return false;
            });
        }

        origin.Map("/slow-head", async (_, stream, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            await stream.WriteAsync(RawOrigin.Head("HTTP/1.1 200 OK", "Content-Length: 0"), ct);
            return true;
        });
    }

    [Theory]
    [InlineData("/drip-small", 60_000, 6_000)]
    [InlineData("/drip-large", 300_000, 75_000)]
    public async Task DrippingBody_Streamed_HeadersAtOnceBytesAsTheyComeComplete200(string path, int length, int firstPiece)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = _stack.CreateClient();
        var clock = Stopwatch.StartNew();

        using var response = await http.GetAsync(_stack.Url(path), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var headersAt = clock.Elapsed;
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        var first = new byte[firstPiece];
        await stream.ReadExactlyAsync(first, cts.Token);
        var firstPieceAt = clock.Elapsed;
        var rest = new MemoryStream();
        await stream.CopyToAsync(rest, cts.Token);
        var doneAt = clock.Elapsed;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(length);
        SHA256.HashData([.. first, .. rest.ToArray()]).Should().Equal(SHA256.HashData(RawTunnelCall.Pattern(length, seed: 7)));
        // The origin sends its head and first piece at once, the last piece 1.5 s (large) or 4.5 s (small) later.
        doneAt.Should().BeGreaterThan(DripInterval * 2.5, "the origin drips its body for seconds");
        headersAt.Should().BeLessThan(DripInterval * 2, "headers go out when the origin sent them, not when the body is complete");
        firstPieceAt.Should().BeLessThan(doneAt - DripInterval, "the first bytes go out as they come, well before the last");
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData("/drip-small", 60_000)]
    [InlineData("/drip-large", 300_000)]
    public async Task DrippingBody_Buffered_Complete200(string path, int length)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = _stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _stack.Url(path));
        request.Headers.Add("X-Tunnel-Response", "buffered");

        using var response = await http.SendAsync(request, cts.Token);
        var body = await response.Content.ReadAsByteArrayAsync(cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(length);
        SHA256.HashData(body).Should().Equal(SHA256.HashData(RawTunnelCall.Pattern(length, seed: 7)));
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData("/stall-small", 6_000)]
    [InlineData("/stall-large", 100_000)]
    public async Task StalledBody_Streamed_IsAbortedAfterBodyIdleTimeout(string path, int sent)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = _stack.CreateClient();
        var clock = Stopwatch.StartNew();

        using var response = await http.GetAsync(_stack.Url(path), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        var first = new byte[sent];
        await stream.ReadExactlyAsync(first, cts.Token);
        var rest = () => stream.CopyToAsync(Stream.Null, cts.Token);

        await rest.Should().ThrowAsync<IOException>("a body the origin stopped sending must not end cleanly");
        cts.IsCancellationRequested.Should().BeFalse("the agent's 2 s body idle timeout ends it, not the test's timeout");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "the server's own idle timeout is 60 s: the agent's ended it");
        _stack.Agent.Logs.GetSnapshot().Should().Contain(r => r.Id.Name == "OriginBodyIdle");
    }

    [Theory]
    [InlineData("/stall-small")]
    [InlineData("/stall-large")]
    public async Task StalledBody_Buffered_Is502AfterBodyIdleTimeout(string path)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = _stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _stack.Url(path));
        request.Headers.Add("X-Tunnel-Response", "buffered");
        var clock = Stopwatch.StartNew();

        using var response = await http.SendAsync(request, cts.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task SlowHeaders_OverOriginTimeout_Are504()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = _stack.CreateClient();

        using var response = await http.GetAsync(_stack.Url("/slow-head"), cts.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout);
    }
}
