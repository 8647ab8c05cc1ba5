using Microsoft.Extensions.Options;
using Tunnel.Agent;
using Tunnel.Agent.Connection;
using Tunnel.Server.Hosting;

namespace Tunnel.Tests.Hosting;

/// <summary>Trusted proxies and the agent's extra trusted certificate: defaults as documented, bad values named.</summary>
public sealed class DeploymentOptionsTests
{
    [Fact]
    public void ForwardedHeaders_Default_TrustsNoProxy()
    {
        new TunnelForwardedHeadersOptions().Any.Should().BeFalse();
        new AgentOptions().TrustedCertificatePath.Should().BeNull();
    }

    [Fact]
    public void ForwardedHeadersValidator_BadEntries_NamesEveryOne()
    {
        var result = new TunnelForwardedHeadersOptionsValidator().Validate(null, new TunnelForwardedHeadersOptions
        {
            KnownProxies = "10.0.0.1, nginx.local ::1",
            KnownNetworks = "10.0.0.0/8 192.168.1.0 fd00::/200",
        });
        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(3);
        result.FailureMessage.Should().Contain("Tunnel:ForwardedHeaders:KnownProxies: 'nginx.local'")
            .And.Contain("Tunnel:ForwardedHeaders:KnownNetworks: '192.168.1.0'")
            .And.Contain("Tunnel:ForwardedHeaders:KnownNetworks: 'fd00::/200'");
    }

    [Fact]
    public void ForwardedHeadersValidator_GoodEntries_Pass() =>
        new TunnelForwardedHeadersOptionsValidator().Validate(null, new TunnelForwardedHeadersOptions
        {
            KnownProxies = "127.0.0.1 ::1",
            KnownNetworks = "10.0.0.0/8, fd00::/8",
        }).Should().Be(ValidateOptionsResult.Success);

    [Fact]
    public void AgentValidator_UnreadableCertificate_NamesTheKey()
    {
        var garbage = Path.GetTempFileName();
        File.WriteAllText(garbage, "not a certificate");
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { TrustedCertificatePath = garbage });
        result.FailureMessage.Should().Contain("Agent:TrustedCertificatePath");
        new AgentOptionsValidator().Validate(null, new AgentOptions { TrustedCertificatePath = "/nonexistent/ca.pem" })
            .FailureMessage.Should().Contain("Agent:TrustedCertificatePath");
    }
}
