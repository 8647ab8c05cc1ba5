using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Soak;

/// <summary>The soak's result, written to <c>bench/results/soak-latest.json</c> and rendered into <c>bench/SOAK.md</c>.</summary>
internal sealed class SoakSummary
{
    public required string Command { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    public double PlannedMinutes { get; init; }

    public double ElapsedSeconds { get; init; }

    public int Workers { get; init; }

    public required MachineInfo Machine { get; init; }

    /// <summary>Which agent build ran, e.g. "Native AOT linux-x64" or "dotnet Tunnel.Agent.dll (JIT)".</summary>
    public required string Agent { get; init; }

    /// <summary><c>git status --porcelain</c> of the server, agent and contracts when the run started (empty: clean).</summary>
    public string UncommittedTunnelChanges { get; init; } = string.Empty;

    public string? SetupError { get; init; }

    public long Requests { get; init; }

    public long Ok { get; init; }

    public long ExpectedFailures { get; init; }

    public Dictionary<string, long> ExpectedFailuresByCategory { get; init; } = [];

    public int RealErrorCount { get; init; }

    public Dictionary<string, long> RealErrorsByCategory { get; init; } = [];

    public List<string> RealErrors { get; init; } = [];

    public SortedDictionary<string, long> OkByKind { get; init; } = [];

    public SortedDictionary<string, long> FailedByKind { get; init; } = [];

    public long ResponseBytes { get; init; }

    public long UploadBytes { get; init; }

    public double AverageMBps { get; init; }

    public double SmallOkP50Ms { get; init; }

    public double SmallOkP99Ms { get; init; }

    public double MaxServerRssMiB { get; init; }

    public double MaxAgentRssMiB { get; init; }

    public List<RssPoint> RssByMinuteMiB { get; init; } = [];

    public List<KillResult> Kills { get; init; } = [];

    /// <summary>Uploads the origin saw end before their Content-Length (their callers were failed by a kill).</summary>
    public long OriginShortUploads { get; init; }

    public int FinalConnectedAgents { get; init; }

    public bool FinalServed { get; init; }
}

/// <summary>Peak RSS of the server and of the agent within one minute of the run.</summary>
internal sealed record RssPoint(int Minute, double ServerMiB, double AgentMiB);

/// <summary>
/// One kill: when, how many requests were in flight, how long until the process was back (agent: started again
/// after 1 s; server: healthy again), and until the first successful request started after the kill ended.
/// </summary>
internal sealed record KillResult(
    int Number,
    string Target,
    double AtSeconds,
    long InFlightAtKill,
    double RestartSeconds,
    double? RecoverySeconds,
    double? RestartToServedSeconds,
    long ExpectedFailures,
    double LastFailureAfterKillSeconds);
