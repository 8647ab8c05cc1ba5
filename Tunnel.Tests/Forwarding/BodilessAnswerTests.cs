using System.Text;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Issue 10, kind 1: answers that cannot have a body (HEAD, 1xx, 204, 304, RFC 9110 §6.4.1) arrive without one,
/// whatever Content-Length they carry; nothing waits for the body, and both the caller's connection and the agent's
/// origin connection stay usable.
/// </summary>
public sealed class BodilessAnswerTests : IClassFixture<RawOriginStackFixture>
{
    private readonly RawOriginStack _stack;

    public BodilessAnswerTests(RawOriginStackFixture fixture)
    {
        _stack = fixture.Stack;
        var origin = _stack.Origin;
        origin.MapBytes("/not-modified-small", RawOrigin.Head("HTTP/1.1 304 Not Modified", "ETag: \"v1\"", "Content-Length: 5000"));
        origin.MapBytes("/not-modified-large", RawOrigin.Head("HTTP/1.1 304 Not Modified", "ETag: \"v2\"", "Content-Length: 50000000"));
        origin.MapBytes("/not-modified-chunked", RawOrigin.Head("HTTP/1.1 304 Not Modified", "ETag: \"v3\"", "Transfer-Encoding: chunked"));
        origin.MapBytes("/no-content", RawOrigin.Head("HTTP/1.1 204 No Content", "Content-Length: 5"));
        origin.MapBytes("/head-small", RawOrigin.Head("HTTP/1.1 200 OK", "Content-Type: audio/flac", "Content-Length: 1000"));
        origin.MapBytes("/head-large", RawOrigin.Head("HTTP/1.1 200 OK", "Content-Type: audio/flac", "Content-Length: 300000000"));
        origin.MapBytes("/head-chunked", RawOrigin.Head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked"));
        origin.MapBytes("/early-hints", [
            .. RawOrigin.Head("HTTP/1.1 103 Early Hints", "Link: </a.css>; rel=preload", "Content-Length: 5000"),
            .. RawOrigin.Head("HTTP/1.1 200 OK", "Content-Length: 11"),
            .. "hello world"u8.ToArray()]);
        origin.MapBytes("/switching", RawOrigin.Head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade"));
        origin.MapBytes("/ping", [.. RawOrigin.Head("HTTP/1.1 200 OK", "Content-Length: 4"), .. "pong"u8.ToArray()]);
    }

    [Theory]
    [InlineData("GET", "/not-modified-small", 304, false)]
    [InlineData("GET", "/not-modified-small", 304, true)]
    [InlineData("GET", "/not-modified-large", 304, false)]
    [InlineData("GET", "/not-modified-large", 304, true)]
    [InlineData("GET", "/not-modified-chunked", 304, false)]
    [InlineData("GET", "/not-modified-chunked", 304, true)]
    [InlineData("GET", "/no-content", 204, false)]
    [InlineData("GET", "/no-content", 204, true)]
    [InlineData("HEAD", "/head-small", 200, false)]
    [InlineData("HEAD", "/head-small", 200, true)]
    [InlineData("HEAD", "/head-large", 200, false)]
    [InlineData("HEAD", "/head-large", 200, true)]
    [InlineData("HEAD", "/head-chunked", 200, false)]
    [InlineData("HEAD", "/head-chunked", 200, true)]
    public async Task BodilessAnswer_WithContentLength_ArrivesWithoutBodyAndBothConnectionsAreReused(string method, string path, int status, bool buffered)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var caller = await RawTunnelCall.OpenAsync(_stack, cts.Token);

        var head = await RawTunnelCall.SendAsync(caller, _stack, method, path, buffered, cts.Token);
        var originConnection = _stack.Origin.Requests.Last(r => r.Path == path).ConnectionId;

        head.StatusCode.Should().Be(status);
        if (status == 304)
        {
            head["ETag"].Should().NotBeNull("the validator is what a 304 is for");
        }

        if (status == 204)
        {
            head["Content-Length"].Should().BeNull("a 204 must not carry Content-Length (RFC 9110 §8.6)");
        }

        // The next answer on the same caller connection starts right where the head ended: no body bytes between.
        var next = await RawTunnelCall.SendAsync(caller, _stack, "GET", "/ping", buffered, cts.Token);
        next.StatusCode.Should().Be(200);
        Encoding.ASCII.GetString(await RawTunnelCall.ReadBodyAsync(caller, next, cts.Token)).Should().Be("pong");
        _stack.Origin.Requests.Last(r => r.Path == "/ping").ConnectionId.Should().Be(originConnection,
            "the agent's connection to the origin must not wait for or discard a body that cannot exist");
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InterimAnswer_WithContentLength_IsSkippedAndFinalAnswerArrives(bool buffered)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var caller = await RawTunnelCall.OpenAsync(_stack, cts.Token);

        var head = await RawTunnelCall.SendAsync(caller, _stack, "GET", "/early-hints", buffered, cts.Token);

        head.StatusCode.Should().Be(200);
        Encoding.ASCII.GetString(await RawTunnelCall.ReadBodyAsync(caller, head, cts.Token)).Should().Be("hello world");
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FinalSwitchingProtocols_NobodyAskedFor_Is502(bool buffered)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var caller = await RawTunnelCall.OpenAsync(_stack, cts.Token);

        var head = await RawTunnelCall.SendAsync(caller, _stack, "GET", "/switching", buffered, cts.Token);

        head.StatusCode.Should().Be(502);
        head["Content-Type"].Should().Be(ProblemAssertions.ProblemContentType);
    }
}
