using Tunnel.Server.Auth;
using Tunnel.Server.Hosting;

namespace Tunnel.Tests.Auth;

/// <summary>Defaults as documented, and bad values refused with the full configuration key.</summary>
public sealed class AuthOptionsTests
{
    [Fact]
    public void Defaults_AreTheOriginals()
    {
        var options = new AuthOptions();
        options.SignatureTokenLifetime.Should().Be(TimeSpan.FromDays(14));
        options.MagicTokenLifetime.Should().Be(TimeSpan.FromMinutes(10));
        options.FailedAttemptsPerMinute.Should().Be(20);
        new TunnelCorsOptions().AllowedOrigins.Should().Be("*");
    }

    [Fact]
    public void Validator_BadValues_NamesEveryKey()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions
        {
            SignatureTokenLifetime = TimeSpan.Zero,
            MagicTokenLifetime = TimeSpan.FromDays(400),
            FailedAttemptsPerMinute = 0,
        });
        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(3);
        result.FailureMessage.Should().Contain("Tunnel:Auth:SignatureTokenLifetime")
            .And.Contain("Tunnel:Auth:MagicTokenLifetime")
            .And.Contain("Tunnel:Auth:FailedAttemptsPerMinute");
    }

    [Theory]
    [InlineData("https://a.example, *")]
    [InlineData("ftp://a.example")]
    [InlineData("https://a.example/path")]
    [InlineData("not an origin")]
    [InlineData(" ")]
    public void CorsValidator_BadOrigins_NameTheKey(string origins)
    {
        var result = new TunnelCorsOptionsValidator().Validate(null, new TunnelCorsOptions { AllowedOrigins = origins });
        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Tunnel:Cors:AllowedOrigins");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://a.example")]
    [InlineData("https://a.example, http://localhost:3000")]
    public void CorsValidator_GoodOrigins_Pass(string origins) =>
        new TunnelCorsOptionsValidator().Validate(null, new TunnelCorsOptions { AllowedOrigins = origins }).Succeeded.Should().BeTrue();
}
