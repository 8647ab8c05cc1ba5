using Tunnel.Server.Cluster;

namespace Tunnel.Tests.Cluster;

/// <summary>The cluster keys are a contract: unset = a single node; set, they must be usable, every problem reported.</summary>
public sealed class ClusterOptionsTests
{
    private readonly ClusterOptionsValidator _validator = new();

    [Fact]
    public void Unset_IsASingleNode()
    {
        var options = new ClusterOptions();
        _validator.Validate(null, options).Succeeded.Should().BeTrue();
        options.Enabled.Should().BeFalse();
        options.NodeTimeout.Should().Be(TimeSpan.FromSeconds(15));
        options.HeartbeatInterval.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void InternalUrlWithoutSecret_Refused()
    {
        var result = _validator.Validate(null, new ClusterOptions { InternalUrl = new Uri("http://10.0.0.5:8000") });
        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().Contain("Tunnel:Cluster:Secret is required");
    }

    [Fact]
    public void ShortSecretAndPathInUrl_BothReported()
    {
        var result = _validator.Validate(null, new ClusterOptions { InternalUrl = new Uri("http://10.0.0.5:8000/tunnel"), Secret = "too-short" });
        result.Failures.Should().HaveCount(2);
        result.Failures.Should().Contain(f => f.Contains("Tunnel:Cluster:InternalUrl", StringComparison.Ordinal));
        result.Failures.Should().Contain(f => f.Contains("at least 32 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void UrlAndLongSecret_Accepted()
    {
        var options = new ClusterOptions { InternalUrl = new Uri("http://10.0.0.5:8000"), Secret = new string('s', 32), NodeTimeout = TimeSpan.FromSeconds(5) };
        _validator.Validate(null, options).Succeeded.Should().BeTrue();
        options.Enabled.Should().BeTrue();
        options.HeartbeatInterval.Should().Be(TimeSpan.FromSeconds(1));
    }
}
