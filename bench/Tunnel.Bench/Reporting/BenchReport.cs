namespace Tunnel.Bench.Reporting;

/// <summary>
/// The JSON document a run writes: settings, machine, every path's results, and the printed table.
/// <see cref="OtherProcessesCpuPercent"/> is the share of the machine's CPU that processes other than the bench and
/// its children used during the run: above a few percent, MB/s and latency are disturbed (CPU-s/GB much less).
/// </summary>
internal sealed record BenchReport(
    DateTimeOffset StartedAt,
    double DurationSeconds,
    string Mode,
    string Database,
    string Command,
    MachineInfo Machine,
    double LoadAverageAtStart,
    double OtherProcessesCpuPercent,
    IReadOnlyList<PathResult> Paths,
    IReadOnlyList<TargetResult> Targets,
    string Table)
{
    public bool Ok => Paths.All(p => p.Ok);
}
