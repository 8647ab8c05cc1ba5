using Tunnel.Agent;

namespace Tunnel.Tests.Agent;

/// <summary>The agent's time settings: documented defaults, and out-of-range values refused with the key, all at once.</summary>
public sealed class AgentOptionsTests
{
    [Fact]
    public void Defaults_AreAsDocumented()
    {
        var options = new AgentOptions();
        options.OriginTimeout.Should().Be(TimeSpan.FromSeconds(60));
        options.OriginBodyIdleTimeout.Should().Be(TimeSpan.FromSeconds(60));
        new AgentOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validator_BadTimes_NamesEveryKey()
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions
        {
            OriginTimeout = TimeSpan.Zero,
            OriginBodyIdleTimeout = TimeSpan.FromHours(2),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(10),
            DrainTimeout = TimeSpan.FromSeconds(-1),
        });

        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(4);
        result.FailureMessage.Should().Contain("Agent:OriginTimeout")
            .And.Contain("Agent:OriginBodyIdleTimeout")
            .And.Contain("Agent:ReconnectMaxDelay")
            .And.Contain("Agent:DrainTimeout");
    }
}
