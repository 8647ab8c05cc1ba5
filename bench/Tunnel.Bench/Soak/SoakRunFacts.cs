using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Soak;

/// <summary>What the report needs to know about the run besides the ledger: how it was started and how it ended.</summary>
internal sealed record SoakRunFacts(
    string CommandLine,
    MachineInfo Machine,
    string Agent,
    string UncommittedTunnelChanges,
    TimeSpan Duration,
    int Workers,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    double TrafficStart,
    string? SetupError,
    int FinalConnectedAgents,
    bool FinalServed);
