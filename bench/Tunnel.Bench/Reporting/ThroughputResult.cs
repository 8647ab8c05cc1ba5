namespace Tunnel.Bench.Reporting;

/// <summary>
/// One large body, downloaded <see cref="Runs"/> times after the warm-up runs. MB = 10^6 bytes, GB = 10^9 bytes.
/// CPU is the processes' own utime + stime over the measured runs, divided by the bytes moved. RSS "idle" is read
/// before the warm-up, "after" two seconds after the last measured run.
/// </summary>
internal sealed record ThroughputResult(
    long BodyBytes,
    int Runs,
    IReadOnlyList<double> MegabytesPerSecond,
    double MedianMegabytesPerSecond,
    IReadOnlyList<double> TimeToFirstByteMs,
    double MedianTimeToFirstByteMs,
    double? ServerCpuSecondsPerGB,
    double? HomeCpuSecondsPerGB,
    double? TotalCpuSecondsPerGB,
    double BenchCpuSecondsPerGB,
    double? ServerPeakRssMiB,
    double? HomePeakRssMiB,
    double? ServerIdleRssMiB,
    double? HomeIdleRssMiB,
    double? ServerAfterRssMiB,
    double? HomeAfterRssMiB);
