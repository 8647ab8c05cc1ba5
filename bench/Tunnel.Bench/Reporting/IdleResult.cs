namespace Tunnel.Bench.Reporting;

/// <summary>
/// Idle cost: the tunnel server's resident memory before and after <see cref="Agents"/> extra agents connected
/// (each a SignalR connection over WebSockets with MessagePack, doing nothing), and its CPU while they idle.
/// <see cref="RefusedConnects"/>: connects of valid agents the server refused (each retried), which should be 0.
/// </summary>
internal sealed record IdleResult(
    int Agents,
    double ConnectSeconds,
    double ServerRssBeforeMiB,
    double ServerRssAfterMiB,
    double MiBPer1000Agents,
    double KiBPerAgent,
    double ServerCpuPercentWhileIdle,
    int RefusedConnects,
    IReadOnlyList<string> Refusals);
