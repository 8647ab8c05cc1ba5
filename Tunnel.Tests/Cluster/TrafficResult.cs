namespace Tunnel.Tests.Cluster;

/// <summary>How a cluster load test request ended: served byte-exact, failed visibly, or corrupt (a test failure).</summary>
internal sealed record TrafficResult(TrafficRequest Request, bool Ok, bool Corrupt, string? Via, string Detail)
{
    public DateTime Started { get; init; }

    public static TrafficResult Served(TrafficRequest r, string? via) => new(r, true, false, via, "");

    public static TrafficResult Failed(TrafficRequest r, string? via, string detail) => new(r, false, false, via, detail);

    public static TrafficResult Corrupted(TrafficRequest r, string? via, string detail) => new(r, false, true, via, detail);
}
