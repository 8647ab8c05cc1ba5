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
    public double LoadAverageAtEnd { get; init; }

    /// <summary>What every path reaches: nginx serving files, or the bench's Kestrel app.</summary>
    public string Origin { get; init; } = string.Empty;

    /// <summary>The cipher ssh -R used and why.</summary>
    public string SshCipher { get; init; } = string.Empty;

    /// <summary>Which agent build the tunnel columns ran, e.g. "Native AOT linux-x64" or "dotnet Tunnel.Agent.dll (JIT)".</summary>
    public string Agent { get; init; } = string.Empty;

    /// <summary>The agent executable or dll that ran.</summary>
    public string AgentPath { get; init; } = string.Empty;

    public IReadOnlyList<WanResult> Wan { get; init; } = [];

    public bool Ok => Paths.All(p => p.Ok);
}
