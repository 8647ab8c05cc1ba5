namespace Tunnel.Tests.Fixtures;

/// <summary>A stack whose buffered mode accepts bodies up to 300 MiB, for the 256 MiB buffered cases.</summary>
public sealed class LargeBufferStackFixture : StackFixture
{
    public const long BufferedResponseMaxBytes = 300L * 1024 * 1024;

    protected override Dictionary<string, string> ServerExtra => new()
    {
        ["Tunnel:Forwarding:BufferedResponseMaxBytes"] = BufferedResponseMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
