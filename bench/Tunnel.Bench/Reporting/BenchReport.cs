namespace Tunnel.Bench.Reporting;

/// <summary>The JSON document a run writes: settings, machine, every path's results, and the printed table.</summary>
internal sealed record BenchReport(
    DateTimeOffset StartedAt,
    double DurationSeconds,
    string Mode,
    string Database,
    string Command,
    MachineInfo Machine,
    IReadOnlyList<PathResult> Paths,
    IReadOnlyList<TargetResult> Targets,
    string Table)
{
    public bool Ok => Paths.All(p => p.Ok);
}
