namespace Tunnel.Tests.Fixtures;

/// <summary>A stack with small forwarding limits: 1 MiB request bodies, 2 requests in flight per agent.</summary>
public sealed class LimitsStackFixture : StackFixture
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public const int MaxInFlightPerAgent = 2;

    protected override Dictionary<string, string> ServerExtra => new()
    {
        ["Tunnel:Forwarding:MaxRequestBodyBytes"] = MaxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Tunnel:Forwarding:MaxInFlightPerAgent"] = MaxInFlightPerAgent.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
