namespace Tunnel.Bench.Reporting;

/// <summary>Everything measured on one path, and what went wrong on it.</summary>
internal sealed class PathResult
{
    public required string Key { get; init; }

    public required string Name { get; init; }

    public string? ServerSide { get; init; }

    public string? HomeSide { get; init; }

    public bool Ok => Errors.Count == 0;

    public List<string> Errors { get; } = [];

    public double? StartToServedMs { get; set; }

    public ThroughputResult? Throughput { get; set; }

    public List<LoadResult> SmallRequests { get; } = [];

    public StreamsResult? Streams { get; set; }

    public IdleResult? Idle { get; set; }
}
