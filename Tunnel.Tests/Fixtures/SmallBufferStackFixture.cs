namespace Tunnel.Tests.Fixtures;

/// <summary>A stack whose buffered mode caps bodies at 1 MiB, to see the cap answered with 502.</summary>
public sealed class SmallBufferStackFixture : StackFixture
{
    public const long BufferedResponseMaxBytes = 1024 * 1024;

    protected override Dictionary<string, string> ServerExtra => new()
    {
        ["Tunnel:Forwarding:BufferedResponseMaxBytes"] = BufferedResponseMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
