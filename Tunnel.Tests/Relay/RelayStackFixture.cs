using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>
/// A stack for relay tests: at most 3 relays per client and a 3 s open timeout, so that the cap and the timeout are
/// reached quickly; everything else at its default.
/// </summary>
public sealed class RelayStackFixture : StackFixture
{
    public const int MaxRelaysPerClient = 3;

    protected override Dictionary<string, string> ServerExtra => new()
    {
        ["Tunnel:Relay:MaxRelaysPerClient"] = MaxRelaysPerClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Tunnel:Relay:OpenTimeout"] = "00:00:03",
    };
}
