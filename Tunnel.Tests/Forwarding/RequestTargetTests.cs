using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// The path and query reach the origin byte for byte as the caller sent them: escapes, '+', percent-encoded
/// unicode and odd characters intact. Sent over a bare socket so that no client library rewrites the target first.
/// (Raw non-ASCII bytes in a request line are not valid HTTP (RFC 9112 §3.2, RFC 3986); Kestrel refuses them with
/// 400 before the tunnel sees the request, and real clients percent-encode.)
/// </summary>
public sealed class RequestTargetTests(StackFixture fixture) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    public static TheoryData<string, string> Targets()
    {
        var data = new TheoryData<string, string>();
        string[] targets =
        [
            "/echo/a%2Fb/c%20d?path=%2Fmusic%2Ftrack&space=%20x",
            "/echo/plus+sign?q=a+b&r=1%2B1",
            "/echo/%C3%BC%E2%82%AC/%F0%9F%8E%B5?name=%C3%A9t%C3%A9",
            "/echo/semi;colon/at@/~tilde?empty=&flag&amp=%26&q=a?b&pct=%25",
            "/echo/UPPER/%7e/%7E?Case=MiXeD",
        ];
        foreach (var target in targets)
        {
            data.Add(target, "streamed");
            data.Add(target, "buffered");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Target_WithEscapesAndUnicode_ReachesOriginUnchanged(string target, string mode)
    {
        var stack = fixture.Stack;
        var sent = stack.Url(target);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = await RawHttpConnection.OpenAsync(stack.Server.BaseAddress, cts.Token);
        await connection.SendAsync("GET", sent,
            [("Authorization", "Bearer " + stack.Token), ("X-Tunnel-Response", mode), ("Connection", "close")], cts.Token);

        var head = await connection.ReadHeadAsync(cts.Token);

        head.StatusCode.Should().Be(200);
        Uri.UnescapeDataString(head["X-Echo-Target"]!).Should().Be(sent);
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
