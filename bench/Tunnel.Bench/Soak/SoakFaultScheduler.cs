namespace Tunnel.Bench.Soak;

/// <summary>
/// The kill plan: every interval (3 min, or a third of a short run) the agent is SIGKILLed and started again after
/// 1 s (as a supervisor would); at ~40 % and ~80 % of the kills (the last one in a short run) the server instead,
/// restarted on the same port and database while the agent must reconnect by itself. After each kill it waits for
/// the recovery (a success that started after the kill) and reports a kill with none within 60 s as a real error.
/// </summary>
internal sealed class SoakFaultScheduler(SoakStack stack, SoakLedger ledger)
{
    /// <summary>A kill not followed by a success within this long is a real error.</summary>
    public static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);

    /// <summary>How long a supervisor (systemd <c>Restart=</c>) takes to start the agent again.</summary>
    private static readonly TimeSpan AgentRestartDelay = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan RecoveryPoll = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(double trafficStart, TimeSpan duration, CancellationToken stop)
    {
        var interval = Math.Min(180, duration.TotalSeconds / 3);
        var times = new List<double>();
        for (var k = 1; k * interval <= duration.TotalSeconds - (interval / 2); k++)
        {
            times.Add(k * interval);
        }

        var serverKills = times.Count >= 5 ? new HashSet<int> { (int)(times.Count * 0.4), (int)(times.Count * 0.8) } : [times.Count - 1];
        SoakProgress.Write($"kill plan (s after start): {string.Join(", ", times.Select((t, i) => $"{t:0}{(serverKills.Contains(i) ? " server" : " agent")}"))}");
        try
        {
            for (var i = 0; i < times.Count; i++)
            {
                var wait = trafficStart + times[i] - ledger.Now;
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait), stop);
                }

                var ev = new SoakKillEvent { Number = i + 1, Target = serverKills.Contains(i) ? "server" : "agent", KillAt = ledger.Now, InFlightAtKill = ledger.InFlight };
                ledger.KillStarting(ev);
                await (ev.Target == "server" ? KillServerAsync(ev, stop) : KillAgentAsync(ev, stop));
                SoakProgress.Write($"kill {ev.Number}: {ev.Target} SIGKILLed at {ev.KillAt - trafficStart:0.0} s of traffic ({ev.InFlightAtKill} requests in flight), back up {ev.RestartedAt - ev.KillAt:0.00} s later");
                await AwaitRecoveryAsync(ev, stop);
                ledger.KillOver();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    private async Task KillServerAsync(SoakKillEvent ev, CancellationToken stop)
    {
        var agentPid = stack.AgentPid;
        stack.KillServer();
        ledger.Killed(ev);
        await stack.StartServerAsync(stop);
        ev.RestartedAt = ledger.Now;
        if (stack.AgentPid != agentPid || agentPid == 0)
        {
            ledger.Real(ledger.Now, "agent died", "the agent process exited when the server was killed (it should reconnect by itself)");
        }
    }

    private async Task KillAgentAsync(SoakKillEvent ev, CancellationToken stop)
    {
        stack.KillAgent();
        ledger.Killed(ev);
        await Task.Delay(AgentRestartDelay, stop);
        stack.StartAgent();
        ev.RestartedAt = ledger.Now;
    }

    private async Task AwaitRecoveryAsync(SoakKillEvent ev, CancellationToken stop)
    {
        while (ev.RecoveredAt is null && ledger.Now - ev.KilledAt < RecoveryLimit.TotalSeconds)
        {
            await Task.Delay(RecoveryPoll, stop);
        }

        if (ev.RecoveredAt is null)
        {
            ledger.Real(ledger.Now, "no recovery", $"kill {ev.Number} ({ev.Target}): no successful request within {RecoveryLimit.TotalSeconds:0} s");
        }
        else
        {
            SoakProgress.Write($"kill {ev.Number}: recovered {ev.RecoveredAt - ev.KillAt:0.00} s after the kill ({ev.RecoveredAt - ev.RestartedAt:0.00} s after the restart)");
        }
    }
}
