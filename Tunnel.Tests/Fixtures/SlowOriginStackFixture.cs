namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A raw-origin stack whose agent waits only 1 s for response headers and 2 s for a silent body: short enough that a
/// body dripping for seconds would trip the first if it bounded the body, and a stalled body trips the second.
/// </summary>
public sealed class SlowOriginStackFixture : RawOriginStackFixture
{
    protected override Dictionary<string, string?> AgentExtra => new()
    {
        ["Agent:OriginTimeout"] = "00:00:01",
        ["Agent:OriginBodyIdleTimeout"] = "00:00:02",
    };
}
