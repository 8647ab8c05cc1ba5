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

    /// <summary>WebSocket round trips through the path's <c>/ws</c>, one per number of sockets.</summary>
    public List<WebSocketEchoResult> WebSocketEcho { get; } = [];

    /// <summary>Why the WebSocket rows are empty although the path was measured, e.g. "not available" before the relay.</summary>
    public string? WebSocketNote { get; set; }

    public IdleResult? Idle { get; set; }
}
