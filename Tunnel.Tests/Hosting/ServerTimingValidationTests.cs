using Microsoft.Extensions.Options;
using Tunnel.Server;
using Tunnel.Server.Cluster;
using Tunnel.Server.Forwarding;
using Tunnel.Server.Relay;

namespace Tunnel.Tests.Hosting;

/// <summary>
/// The server's time spans are range-checked by its options validators, with the messages the data annotations
/// gave (those were not thread-safe, dotnet/runtime#1143): defaults pass, each bound is inclusive, outside fails.
/// </summary>
public sealed class ServerTimingValidationTests
{
    [Fact]
    public void Defaults_Pass()
    {
        Failures(new ForwardingOptionsValidator().Validate(null, new ForwardingOptions())).Should().BeEmpty();
        Failures(new RelayOptionsValidator().Validate(null, new RelayOptions())).Should().BeEmpty();
        Failures(new TunnelOptionsValidator().Validate(null, new TunnelOptions())).Should().BeEmpty();
        Failures(new ClusterOptionsValidator().Validate(null, new ClusterOptions())).Should().BeEmpty();
    }

    [Fact]
    public void OutsideTheRange_NamesTheKeyAndTheBounds()
    {
        Failures(new ForwardingOptionsValidator().Validate(null, new ForwardingOptions { ResponseIdleTimeout = TimeSpan.Zero }))
            .Should().Equal("Tunnel:Forwarding:ResponseIdleTimeout must be between 00:00:01 and 01:00:00.");
        Failures(new ForwardingOptionsValidator().Validate(null, new ForwardingOptions { ResponseHeadersTimeout = TimeSpan.FromHours(2) }))
            .Should().Equal("Tunnel:Forwarding:ResponseHeadersTimeout must be between 00:00:01 and 01:00:00.");
        Failures(new TunnelOptionsValidator().Validate(null, new TunnelOptions { DrainTimeout = TimeSpan.FromHours(1) + TimeSpan.FromTicks(1) }))
            .Should().ContainSingle().Which.Should().StartWith("Tunnel:DrainTimeout must be between 00:00:00 and 01:00:00");
        Failures(new ClusterOptionsValidator().Validate(null, new ClusterOptions { NodeTimeout = TimeSpan.FromMilliseconds(999) }))
            .Should().Equal("Tunnel:Cluster:NodeTimeout must be between 00:00:01 and 00:10:00.");
    }

    [Fact]
    public void TheBounds_AreAllowed()
    {
        Failures(new TunnelOptionsValidator().Validate(null, new TunnelOptions { DrainTimeout = TimeSpan.Zero })).Should().BeEmpty();
        Failures(new RelayOptionsValidator().Validate(null, new RelayOptions { OpenTimeout = TimeSpan.FromMinutes(5), KeepAliveInterval = TimeSpan.FromSeconds(1) }))
            .Should().BeEmpty();
    }

    private static IEnumerable<string> Failures(ValidateOptionsResult result) => result.Failures ?? [];
}
