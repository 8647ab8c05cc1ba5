using Microsoft.AspNetCore.Http;
using Tunnel.Server.Forwarding;

namespace Tunnel.Tests.Forwarding;

public sealed class HeaderFilterTests
{
    [Theory]
    [InlineData("Connection")]
    [InlineData("keep-alive")]
    [InlineData("Transfer-Encoding")]
    [InlineData("TE")]
    [InlineData("Upgrade")]
    [InlineData("Proxy-Authorization")]
    [InlineData("Proxy-Whatever")]
    [InlineData("Authorization")]
    [InlineData("Host")]
    [InlineData("X-Tunnel-Response")]
    [InlineData("x-tunnel-anything")]
    public void ForOrigin_DropsHopByHopAuthAndTunnelHeaders(string name)
    {
        var headers = new HeaderDictionary { [name] = "v", ["Accept"] = "audio/flac" };

        var forwarded = HeaderFilter.ForOrigin(headers);

        forwarded.Select(h => h.Name).Should().Equal("Accept");
    }

    [Fact]
    public void ForOrigin_DropsHeadersNamedByConnection_KeepsRepeatedValues()
    {
        var headers = new HeaderDictionary
        {
            ["Connection"] = "close, X-Secret-Hop",
            ["X-Secret-Hop"] = "1",
            ["Range"] = "bytes=0-9",
            ["X-Multi"] = new Microsoft.Extensions.Primitives.StringValues(["a", "b"]),
        };

        var forwarded = HeaderFilter.ForOrigin(headers);

        forwarded.Select(h => $"{h.Name}: {h.Value}").Should().BeEquivalentTo(["Range: bytes=0-9", "X-Multi: a", "X-Multi: b"]);
    }

    [Theory]
    [InlineData("Set-Cookie", true)]
    [InlineData("Content-Length", true)]
    [InlineData("Content-Range", true)]
    [InlineData("Transfer-Encoding", false)]
    [InlineData("Connection", false)]
    [InlineData("Keep-Alive", false)]
    public void IsForwardableResponseHeader_RemovesOnlyHopByHop(string name, bool forwarded) =>
        HeaderFilter.IsForwardableResponseHeader(name).Should().Be(forwarded);
}
