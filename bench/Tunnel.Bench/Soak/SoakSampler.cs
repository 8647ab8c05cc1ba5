using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Soak;

/// <summary>
/// Once a second: the RSS of the server and of the agent (peaks overall and per minute; the processes change with
/// every restart, so <see cref="RssSampler"/>, which follows fixed pids, does not fit), and whether a process is gone
/// while no kill is in progress, which means it died by itself (a real error).
/// </summary>
internal sealed class SoakSampler(SoakLedger ledger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly SortedDictionary<int, (long Server, long Agent)> _byMinute = [];
    private long _maxServerRss;
    private long _maxAgentRss;

    public long MaxServerRss => Interlocked.Read(ref _maxServerRss);

    public long MaxAgentRss => Interlocked.Read(ref _maxAgentRss);

    /// <summary>Peak RSS of the server and of the agent per minute of the run, in bytes.</summary>
    public (int Minute, long Server, long Agent)[] ByMinute()
    {
        lock (_byMinute)
        {
            return [.. _byMinute.Select(kv => (kv.Key, kv.Value.Server, kv.Value.Agent))];
        }
    }

    public async Task RunAsync(SoakStack stack, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        int lastServer = 0, lastAgent = 0;
        try
        {
            do
            {
                var serverPid = stack.ServerPid;
                var agentPid = stack.AgentPid;
                Sample(serverPid == 0 ? 0 : ProcFs.RssBytes(serverPid), agentPid == 0 ? 0 : ProcFs.RssBytes(agentPid));
                if (!ledger.Disturbing)
                {
                    if (serverPid == 0 && lastServer != 0)
                    {
                        ledger.Real(ledger.Now, "server died", $"the server (pid {lastServer}) exited by itself:\n{stack.ServerLogTail()}");
                    }

                    if (agentPid == 0 && lastAgent != 0)
                    {
                        ledger.Real(ledger.Now, "agent died", $"the agent (pid {lastAgent}) exited by itself:\n{stack.AgentLogTail()}");
                    }
                }

                lastServer = serverPid;
                lastAgent = agentPid;
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private void Sample(long server, long agent)
    {
        // One writer (this loop): plain maxima, published for the progress line.
        Interlocked.Exchange(ref _maxServerRss, Math.Max(MaxServerRss, server));
        Interlocked.Exchange(ref _maxAgentRss, Math.Max(MaxAgentRss, agent));
        var minute = (int)(ledger.Now / 60);
        lock (_byMinute)
        {
            _byMinute.TryGetValue(minute, out var m);
            _byMinute[minute] = (Math.Max(m.Server, server), Math.Max(m.Agent, agent));
        }
    }
}
