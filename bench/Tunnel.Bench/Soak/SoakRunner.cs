using System.Diagnostics;
using Tunnel.Bench.Origin;
using Tunnel.Bench.Paths;
using Tunnel.Bench.Processes;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Soak;

/// <summary>
/// The soak (issue 6, "Faults"): origin in process, tunnel server (SQLite) and agent as child processes, N workers
/// sending mixed traffic for the given time (<see cref="SoakTraffic"/>), every answer checked byte for byte and for
/// being the answer to its own request (<see cref="SoakResponseChecker"/>). Every few minutes the agent is SIGKILLed
/// and restarted; once or twice the server is SIGKILLed and restarted on the same port and database, the agent
/// reconnecting by itself (<see cref="SoakFaultScheduler"/>). Failures within a kill's window (from the kill to 5 s
/// after the first success after it) that are visible (aborted body, connection error, 424, 502, 503) are expected;
/// every other failure, and any wrong, short or corrupted 2xx body, 500 or hang, is a real error
/// (<see cref="SoakReport"/>).
/// </summary>
internal sealed class SoakRunner(BenchOptions options, string commandLine)
{
    private static readonly TimeSpan FirstServedTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FinalServedTimeout = TimeSpan.FromSeconds(30);

    public async Task<int> RunAsync()
    {
        var duration = TimeSpan.FromMinutes(options.SoakMinutes!.Value);
        var workers = options.SoakWorkers;
        var startedAt = DateTimeOffset.UtcNow;
        var workDir = Directory.CreateTempSubdirectory("tunnel-soak-").FullName;
        AgentLauncher agent;
        try
        {
            // Before the hard stop's clock: the publish is bounded on its own.
            agent = await AgentPublisher.LauncherForAsync(options, workDir, SoakProgress.Write, CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Not a soak result: SOAK.md and the JSON keep the last run's.
            SoakProgress.Write(ex.Message);
            SoakProgress.Write($"log kept in {workDir}");
            return 1;
        }

        using var hardStop = new CancellationTokenSource(duration + TimeSpan.FromMinutes(10));
        var ct = hardStop.Token;
        SoakProgress.Write($"soak of {duration.TotalMinutes:0.##} min, {workers} workers; agent: {agent.Description}; work dir {workDir}");
        var machine = await MachineInfo.ReadAsync(options.RepoRoot, ct);
        var dirty = await SoakReport.UncommittedTunnelChangesAsync(options.RepoRoot, ct);
        OriginServer? origin = null;
        SoakStack? stack = null;
        var ledger = new SoakLedger();
        var sampler = new SoakSampler(ledger);
        var trafficStart = 0.0;
        var setupError = (string?)null;
        var finalConnected = -1;
        var finalServed = false;
        try
        {
            origin = await OriginServer.StartAsync(ct);
            stack = new SoakStack(options, agent, origin.BaseAddress, workDir);
            await stack.StartAsync(ct);
            using var path = new BenchPath
            {
                Key = "soak",
                Name = "soak tunnel",
                BaseAddress = stack.ServerAddress,
                Query = "clientId=" + SoakStack.ClientId,
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + stack.AgentToken },
            };
            var firstServed = await WaitServedAsync(path, stack, FirstServedTimeout, ct);
            SoakProgress.Write($"server on {stack.ServerAddress}, agent served after {firstServed:0.0} s; traffic starts");

            trafficStart = ledger.Now;
            using var stopTraffic = new CancellationTokenSource();
            var sampling = Task.Run(() => sampler.RunAsync(stack, stopTraffic.Token), CancellationToken.None);
            var killing = Task.Run(() => new SoakFaultScheduler(stack, ledger).RunAsync(trafficStart, duration, stopTraffic.Token), CancellationToken.None);
            var progress = Task.Run(() => SoakProgress.RunAsync(ledger, sampler, trafficStart, duration, stopTraffic.Token), CancellationToken.None);
            var traffic = new SoakTraffic(new SoakResponseChecker(path.Client, stack.ServerAddress), ledger);
            await traffic.RunAsync(workers, trafficStart + duration.TotalSeconds, ct);
            await stopTraffic.CancelAsync();
            await Task.WhenAll(killing, sampling, progress);

            // The end state: one agent connected, and it serves.
            finalConnected = await stack.ConnectedAgentsAsync(ct);
            finalServed = await WaitServedAsync(path, stack, FinalServedTimeout, ct) >= 0;
            if (finalConnected != 1)
            {
                ledger.Real(ledger.Now, "end state", $"/health says connectedAgents={finalConnected} at the end, expected 1");
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or OperationCanceledException or IOException)
        {
            setupError = ex.Message;
            SoakProgress.Write("FAILED: " + ex);
        }

        var finishedAt = DateTimeOffset.UtcNow;
        var serverTail = stack?.ServerLogTail() ?? string.Empty;
        var agentTail = stack?.AgentLogTail() ?? string.Empty;
        stack?.Dispose();
        if (origin is not null)
        {
            await origin.DisposeAsync();
        }

        var facts = new SoakRunFacts(commandLine, machine, agent.Description, dirty, duration, workers, startedAt, finishedAt, trafficStart, setupError, finalConnected, finalServed);
        var summary = SoakReport.Summarise(ledger, sampler, facts);
        SoakReport.Print(summary);
        SoakReport.Write(summary, options.SoakOutPath, options.SoakMarkdownPath);
        var clean = setupError is null && summary.RealErrorCount == 0;
        if (clean && !options.KeepTemp)
        {
            Directory.Delete(workDir, recursive: true);
        }
        else
        {
            SoakProgress.Write($"child logs kept in {workDir}");
            if (!clean)
            {
                SoakProgress.Write("server log tail:\n" + serverTail);
                SoakProgress.Write("agent log tail:\n" + agentTail);
            }
        }

        return clean ? 0 : 1;
    }

    /// <summary>Seconds until the tunnel serves the origin's <c>/json</c> correctly (the bench's start-to-served wait).</summary>
    private static async Task<double> WaitServedAsync(BenchPath path, SoakStack stack, TimeSpan timeout, CancellationToken ct)
    {
        var agent = stack.Agent ?? throw new InvalidOperationException("the agent was never started");
        var started = Stopwatch.GetTimestamp();
        return await Served.WaitAsync(path, agent, started, timeout, ct) / 1000;
    }
}
