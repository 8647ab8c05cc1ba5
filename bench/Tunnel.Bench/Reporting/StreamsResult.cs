namespace Tunnel.Bench.Reporting;

/// <summary>Many bodies at once (64 × 32 MiB): the memory the path's processes need under concurrency.</summary>
internal sealed record StreamsResult(
    int Streams,
    long BytesEach,
    double Seconds,
    double AggregateMegabytesPerSecond,
    double? ServerPeakRssMiB,
    double? HomePeakRssMiB);
