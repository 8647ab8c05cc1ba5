namespace Tunnel.Bench.Soak;

/// <summary>One SIGKILL of the agent or the server; times are seconds since the soak started.</summary>
internal sealed class SoakKillEvent
{
    public int Number { get; init; }

    public required string Target { get; init; }

    /// <summary>When the kill was decided (just before the signal).</summary>
    public double KillAt { get; init; }

    /// <summary>When the process was gone.</summary>
    public double KilledAt { get; set; }

    /// <summary>When the process was back (agent: started again; server: healthy again).</summary>
    public double RestartedAt { get; set; }

    /// <summary>End of the first successful request that started after the kill.</summary>
    public double? RecoveredAt { get; set; }

    public long InFlightAtKill { get; init; }

    public long ExpectedFailures { get; set; }

    public double LastFailureAfterKill { get; set; }
}
