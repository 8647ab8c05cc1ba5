using Tunnel.Agent.Origin;
using Tunnel.Contracts.Messages;

namespace Tunnel.Tests.Agent;

/// <summary>
/// Which Location values point at the origin and how they are rewritten (issue 10, kind 5); the end-to-end
/// RedirectTests follow such redirects through the tunnel.
/// </summary>
public sealed class LocationRewriterTests
{
    private static readonly Uri OriginRequest = new("http://127.0.0.1:8001/albums/1?clientId=home&x=1");

    private static readonly ForwardRequest Forward = new()
    {
        RequestId = Guid.NewGuid(),
        Method = "GET",
        PathAndQuery = "/albums/1?clientId=home&x=1",
        Headers = [],
        PublicScheme = "https",
        PublicHost = "tunnel.example.com",
    };

    [Theory]
    [InlineData("http://127.0.0.1:8001/home", "https://tunnel.example.com/home?clientId=home")]
    [InlineData("HTTP://127.0.0.1:8001/home?a=1#top", "https://tunnel.example.com/home?a=1&clientId=home#top")]
    [InlineData("http://127.0.0.1:8001/home?clientId=home", "https://tunnel.example.com/home?clientId=home")]
    [InlineData("http://127.0.0.1:8001/home?ClientId=home", "https://tunnel.example.com/home?ClientId=home")]
    [InlineData("/home", "https://tunnel.example.com/home?clientId=home")]
    [InlineData("tracks", "https://tunnel.example.com/albums/tracks?clientId=home")]
    [InlineData("//127.0.0.1:8001/home", "https://tunnel.example.com/home?clientId=home")]
    [InlineData("http://127.0.0.1:8001/caf%C3%A9", "https://tunnel.example.com/caf%C3%A9?clientId=home")]
    public void Location_AtTheOrigin_PointsAtTheTunnelWithClientId(string location, string expected) =>
        LocationRewriter.Rewrite(location, OriginRequest, Forward, "home").Should().Be(expected);

    [Theory]
    [InlineData("https://example.com/login")]
    [InlineData("http://127.0.0.1:8002/home")]
    [InlineData("https://127.0.0.1:8001/home")]
    [InlineData("http://localhost:8001/home")]
    [InlineData("http://user@127.0.0.1:8001/home")]
    [InlineData("mailto:someone@example.com")]
    public void Location_Elsewhere_IsLeftAlone(string location) =>
        LocationRewriter.Rewrite(location, OriginRequest, Forward, "home").Should().Be(location);

    [Fact]
    public void Location_FromOlderServer_WithoutPublicView_IsLeftAlone() =>
        LocationRewriter.Rewrite("http://127.0.0.1:8001/home", OriginRequest, Forward with { PublicScheme = null, PublicHost = null }, "home")
            .Should().Be("http://127.0.0.1:8001/home");
}
