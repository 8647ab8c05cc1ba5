using System.Text;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Issue 10, kind 2: header values are opaque bytes (obs-text, RFC 9110 §5.5) and cross the tunnel unchanged in both
/// directions — raw UTF-8, a lone Latin-1 byte — while CR, LF and NUL are refused.
/// </summary>
public sealed class HeaderBytesTests : IClassFixture<RawOriginStackFixture>
{
    private static readonly byte[] Utf8FileName = Encoding.UTF8.GetBytes("attachment; filename=\"Café – Ünïcode.flac\"");
    private static readonly byte[] Latin1Title = Encoding.Latin1.GetBytes("caf\u00e9 \u00fc\u00ff");
    private static readonly byte[] SmallBody = RawTunnelCall.Pattern(10, seed: 3);
    private static readonly byte[] LargeBody = RawTunnelCall.Pattern(300_000, seed: 4);

    // The largest message the protocol must carry (TunnelProtocol.MaxMessageSize): a whole 64 KiB answer with close to
    // the 64 KiB of headers an origin may send, every byte ≥ 0x80 so that each doubles as UTF-8 on the hub.
    private static readonly byte[] WholeBody = RawTunnelCall.Pattern(64 * 1024, seed: 5);
    private static readonly byte[] HighBytes = [.. Enumerable.Repeat((byte)0xE9, 7_500)];

    private readonly RawOriginStack _stack;

    public HeaderBytesTests(RawOriginStackFixture fixture)
    {
        _stack = fixture.Stack;
        foreach (var (path, body) in new[] { ("/track-small", SmallBody), ("/track-large", LargeBody) })
        {
            _stack.Origin.MapBytes(path, [
                .. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nContent-Disposition: "),
                .. Utf8FileName,
                .. "\r\nX-Title: "u8.ToArray(),
                .. Latin1Title,
                .. "\r\n\r\n"u8.ToArray(),
                .. body]);
        }

        _stack.Origin.MapBytes("/largest-answer", [
            .. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {WholeBody.Length}\r\n"),
            .. Enumerable.Range(0, 8).SelectMany(i => (byte[])[.. Encoding.ASCII.GetBytes($"X-Big-{i}: "), .. HighBytes, .. "\r\n"u8.ToArray()]),
            .. "\r\n"u8.ToArray(),
            .. WholeBody]);
        _stack.Origin.MapBytes("/echo", [.. RawOrigin.Head("HTTP/1.1 200 OK", "Content-Length: 2"), .. "ok"u8.ToArray()]);
        _stack.Origin.MapBytes("/nul", [.. RawOrigin.Head("HTTP/1.1 200 OK", "X-Bad: a\0b", "X-Cr: a\rb", "Content-Length: 2"), .. "ok"u8.ToArray()]);
    }

    [Theory]
    [InlineData("/track-small", false)]
    [InlineData("/track-small", true)]
    [InlineData("/track-large", false)]
    [InlineData("/track-large", true)]
    public async Task ResponseHeader_RawUtf8AndLatin1Bytes_ReachCallerUnchanged(string path, bool buffered)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var caller = await RawTunnelCall.OpenAsync(_stack, cts.Token);

        var head = await RawTunnelCall.SendAsync(caller, _stack, "GET", path, buffered, cts.Token);

        head.StatusCode.Should().Be(200);
        Encoding.Latin1.GetBytes(head["Content-Disposition"]!).Should().Equal(Utf8FileName);
        Encoding.Latin1.GetBytes(head["X-Title"]!).Should().Equal(Latin1Title);
        var expected = path.EndsWith("small", StringComparison.Ordinal) ? SmallBody : LargeBody;
        (await RawTunnelCall.ReadBodyAsync(caller, head, cts.Token)).Should().Equal(expected);
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LargestWholeAnswer_60KiBOfHighByteHeadersAnd64KiBBody_CrossesUnchanged(bool buffered)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var caller = await RawTunnelCall.OpenAsync(_stack, cts.Token);

        var head = await RawTunnelCall.SendAsync(caller, _stack, "GET", "/largest-answer", buffered, cts.Token);

        head.StatusCode.Should().Be(200);
        for (var i = 0; i < 8; i++)
        {
            Encoding.Latin1.GetBytes(head[$"X-Big-{i}"]!).Should().Equal(HighBytes);
        }

        (await RawTunnelCall.ReadBodyAsync(caller, head, cts.Token)).Should().Equal(WholeBody);
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData("utf8", false)]
    [InlineData("utf8", true)]
    [InlineData("latin1", false)]
    [InlineData("latin1", true)]
    public async Task RequestHeader_NonAsciiBytes_ReachOriginUnchanged(string kind, bool buffered)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var caller = await RawTunnelCall.OpenAsync(_stack, cts.Token);
        var value = kind == "utf8" ? Encoding.UTF8.GetBytes("Café – Ünïcode.flac") : Encoding.Latin1.GetBytes("caf\u00e9.flac");
        var marker = Guid.NewGuid().ToString("N");

        var head = await RawTunnelCall.SendAsync(caller, _stack, "GET", "/echo?n=" + marker, buffered, cts.Token,
            ("X-Filename", value), ("Cookie", [.. "name="u8.ToArray(), .. value]));

        head.StatusCode.Should().Be(200);
        var seen = _stack.Origin.Requests.Single(r => r.Target.Contains(marker, StringComparison.Ordinal));
        seen.ValueBytes("X-Filename").Should().Equal(value);
        seen.ValueBytes("Cookie").Should().Equal([.. "name="u8.ToArray(), .. value]);
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ResponseHeader_WithNulOrCr_ArrivesWithSpaceInstead(bool buffered)
    {
        var mark = _stack.LogMark();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var caller = await RawTunnelCall.OpenAsync(_stack, cts.Token);

        var head = await RawTunnelCall.SendAsync(caller, _stack, "GET", "/nul", buffered, cts.Token);

        // RFC 9110 §5.5: a recipient replaces CR, LF or NUL in a value with SP, or rejects the message; never forwards them.
        head.StatusCode.Should().Be(200);
        head["X-Bad"].Should().Be("a b");
        head["X-Cr"].Should().Be("a b");
        Encoding.ASCII.GetString(await RawTunnelCall.ReadBodyAsync(caller, head, cts.Token)).Should().Be("ok");
        _stack.ShouldHaveNoErrorsSince(mark);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestHeader_WithNul_IsRefusedAndNeverForwarded(bool buffered)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var caller = await RawTunnelCall.OpenAsync(_stack, cts.Token);
        var marker = Guid.NewGuid().ToString("N");

        var head = await RawTunnelCall.SendAsync(caller, _stack, "GET", "/echo?n=" + marker, buffered, cts.Token, ("X-Filename", "a\0b"u8.ToArray()));

        head.StatusCode.Should().Be(400);
        _stack.Origin.Requests.Should().NotContain(r => r.Target.Contains(marker, StringComparison.Ordinal));
    }
}
