using System.Diagnostics;
using System.Text.Json;
using Tunnel.Bench.Measurements;
using Tunnel.Bench.Origin;
using Tunnel.Bench.Paths;
using Tunnel.Bench.Processes;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench;

/// <summary>
/// One run: starts the origin and every path (direct, nginx, ssh -R, the tunnel streamed and buffered, and with
/// <c>--hop</c> the tunnel through a second node that hops to the agent's node), measures
/// each the same way, one after the other, then prints the table and writes the JSON and the chart. A path that
/// fails to start or to answer is reported as failed; the others are still measured.
/// </summary>
internal sealed class BenchRunner(BenchOptions options, string commandLine)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<int> RunAsync()
    {
        var startedAt = DateTimeOffset.UtcNow;
        using var budget = new CancellationTokenSource(options.Budget);
        var ct = budget.Token;
        var workDir = Directory.CreateTempSubdirectory("tunnel-bench-").FullName;
        Progress($"{(options.Quick ? "quick smoke run" : "full run")}; database {(options.UseMySql ? "MySQL" : "SQLite")}; work dir {workDir}");

        var machine = await MachineInfo.ReadAsync(options.RepoRoot, ct);
        var loadAtStart = ProcFs.LoadAverage();
        var machineBusyAtStart = ProcFs.MachineBusyCpuSeconds();
        var ownAtStart = ProcFs.SelfAndChildrenCpuSeconds();
        var runClock = Stopwatch.StartNew();
        if (loadAtStart > 0.5)
        {
            Progress($"the machine is busy (load average {loadAtStart:0.0}): MB/s and latency will be disturbed; CPU-s/GB much less");
        }
        var results = new List<PathResult>();
        OriginServer? origin = null;
        NginxReference? nginx = null;
        SshReference? ssh = null;
        MariaDbServer? mariaDb = null;
        TunnelStack? tunnel = null;
        TunnelHopNode? hop = null;
        BenchPath? direct = null;
        try
        {
            origin = await OriginServer.StartAsync(ct);
            Progress($"origin on {origin.BaseAddress}");
            var originWebSocket = new Uri($"ws://{origin.BaseAddress.Authority}/ws?moosicboxProfile=master");
            direct = new BenchPath { Key = "direct", Name = "direct", BaseAddress = origin.BaseAddress, WebSocketUrl = _ => Task.FromResult(originWebSocket) };
            var paths = new List<(BenchPath? Path, PathResult Result)> { (direct, ResultFor(direct)) };

            nginx = await StartAsync("nginx", "nginx (1 hop)", () => NginxReference.StartAsync(origin.Port, workDir, ct), paths, n => [n.Path], budget);
            ssh = await StartAsync("ssh", "ssh -R", () => SshReference.StartAsync(origin.Port, workDir, ct), paths, s => [s.Path], budget);
            string? mySql = options.MySqlConnection;
            if (options.UseMySql && mySql is null)
            {
                mariaDb = await MariaDbServer.StartAsync(workDir, ct);
                mySql = mariaDb.ConnectionString;
                Progress("throwaway MariaDB started");
            }

            tunnel = await StartAsync("tunnel-streamed", "tunnel streamed", () => TunnelStack.StartAsync(options, origin.BaseAddress, workDir, mySql, ct), paths, t => [t.Streamed, t.Buffered], budget);
            if (tunnel is null)
            {
                paths.Add((null, new PathResult { Key = "tunnel-buffered", Name = "tunnel buffered", Errors = { "the tunnel did not start" } }));
            }
            else if (options.Hop)
            {
                // Issue 12: the same client through a second node that must hop to the agent's node, beside it.
                hop = await StartAsync("tunnel-hop", "tunnel hop (2nd node)", () => TunnelHopNode.StartAsync(options, tunnel, workDir, ct), paths, h => [h.Path], budget);
            }

            results.AddRange(paths.Select(p => p.Result));
            foreach (var (path, result) in paths)
            {
                if (path is null)
                {
                    continue;
                }

                if (tunnel is not null && ReferenceEquals(path, tunnel.Streamed))
                {
                    // On the fresh server, before the data plane has grown its heap: a clean baseline.
                    await MeasureIdleAsync(tunnel, results, budget);
                }

                await MeasureAsync(path, result, budget);
            }
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            var error = $"the run exceeded its {options.Budget.TotalSeconds:0} s budget";
            Progress(error);
            foreach (var result in results)
            {
                result.Errors.Add(error);
            }

            if (results.Count == 0)
            {
                results.Add(new PathResult { Key = "direct", Name = "direct", Errors = { error } });
            }
        }
        finally
        {
            hop?.Dispose();
            tunnel?.Dispose();
            mariaDb?.Dispose();
            ssh?.Dispose();
            nginx?.Dispose();
            direct?.Dispose();
            if (origin is not null)
            {
                await origin.DisposeAsync();
            }
        }

        // Everything the bench started is dead and reaped now: the rest of the machine's busy time is someone else's.
        var others = (ProcFs.MachineBusyCpuSeconds() - machineBusyAtStart) - (ProcFs.SelfAndChildrenCpuSeconds() - ownAtStart);
        var othersPercent = Math.Round(Math.Max(0, others) / (runClock.Elapsed.TotalSeconds * Environment.ProcessorCount) * 100, 1);
        var targets = Targets.Check(results);
        var table = ReportTable.Format(results, options);
        var report = new BenchReport(startedAt, Math.Round(_clock.Elapsed.TotalSeconds, 1), options.Quick ? "quick" : "full",
            options.UseMySql ? "MySql" : "Sqlite", commandLine, machine, loadAtStart, othersPercent, results, targets, table);
        Console.WriteLine();
        Console.WriteLine(report.Table);
        Console.WriteLine(Targets.Format(targets, options.Quick));
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.MemoryGiB} GiB, {machine.Cpu}; {machine.Os}; {machine.Runtime}; {machine.Nginx}; {machine.Ssh}; commit {machine.GitCommit}.");
        Console.WriteLine($"Other processes used {othersPercent:0.0} % of the machine's CPU during the run (load average {loadAtStart:0.0} at start){(othersPercent > 5 ? ": MB/s and latency are disturbed, CPU-s/GB much less" : "")}.");
        Write(report, machine);

        if (report.Ok && !options.KeepTemp)
        {
            Directory.Delete(workDir, recursive: true);
        }
        else
        {
            Progress($"child logs and configs kept in {workDir}");
        }

        Progress(report.Ok ? $"done in {_clock.Elapsed.TotalSeconds:0} s" : $"FAILED after {_clock.Elapsed.TotalSeconds:0} s: {string.Join("; ", results.Where(r => !r.Ok).Select(r => r.Name))}");
        return report.Ok ? 0 : 1;
    }

    private static PathResult ResultFor(BenchPath path) => new()
    {
        Key = path.Key,
        Name = path.Name,
        ServerSide = path.ServerSide?.Label,
        HomeSide = path.HomeSide?.Label,
        StartToServedMs = path.StartToServedMs is { } ms ? Math.Round(ms, 1) : null,
    };

    private async Task<T?> StartAsync<T>(
        string key, string name, Func<Task<T>> start, List<(BenchPath?, PathResult)> paths, Func<T, BenchPath[]> pathsOf, CancellationTokenSource budget)
        where T : class
    {
        try
        {
            var started = await start();
            foreach (var path in pathsOf(started))
            {
                paths.Add((path, ResultFor(path)));
                Progress($"{path.Name} ready on {path.BaseAddress}{(path.StartToServedMs is { } ms ? $" (start-to-served {ms:0} ms)" : "")}");
            }

            return started;
        }
        catch (Exception ex) when (!budget.IsCancellationRequested)
        {
            Progress($"{name} did not start: {ex.Message}");
            paths.Add((null, new PathResult { Key = key, Name = name, Errors = { "start: " + ex.Message } }));
            return null;
        }
    }

    private async Task MeasureAsync(BenchPath path, PathResult result, CancellationTokenSource budget)
    {
        var phaseTimeout = TimeSpan.FromSeconds(options.Quick ? 30 : 120);
        Progress($"{path.Name}: {options.WarmupRuns} + {options.Runs} × {ReportTable.Size(options.BodyBytes)}");
        await PhaseAsync(result, "body", phaseTimeout, budget, async ct =>
            result.Throughput = await ThroughputMeasurement.RunAsync(path, options.BodyBytes, options.WarmupRuns, options.Runs, ct));

        foreach (var concurrency in options.Concurrencies)
        {
            await PhaseAsync(result, $"c={concurrency}", phaseTimeout, budget, async ct =>
            {
                var load = await SmallRequestLoad.RunAsync(path, concurrency, options.LoadWarmup, options.LoadDuration, ct);
                result.SmallRequests.Add(load);
                if (load.Errors > 0 || load.Requests == 0)
                {
                    result.Errors.Add($"c={concurrency}: {load.Errors} failed requests of {load.Requests + load.Errors} (first: {load.FirstError})");
                }
            });
        }

        Progress($"{path.Name}: {options.Streams} × {ReportTable.Size(options.StreamBytes)} at once");
        await PhaseAsync(result, "streams", phaseTimeout, budget, async ct =>
            result.Streams = await ConcurrentStreamsMeasurement.RunAsync(path, options.Streams, options.StreamBytes, ct));

        if (path.WebSocketUrl is { } webSocketUrl)
        {
            await MeasureWebSocketsAsync(webSocketUrl, result, phaseTimeout, budget);
        }

        var t = result.Throughput;
        var c64 = result.SmallRequests.FirstOrDefault(l => l.Concurrency == 64);
        Progress($"{path.Name}: {t?.MedianMegabytesPerSecond:N0} MB/s, {t?.TotalCpuSecondsPerGB:0.00} CPU-s/GB, c=64 {c64?.RequestsPerSecond:N0} req/s{(result.Ok ? "" : " — " + string.Join("; ", result.Errors))}");
    }

    private async Task MeasureWebSocketsAsync(Func<CancellationToken, Task<Uri>> url, PathResult result, TimeSpan timeout, CancellationTokenSource budget)
    {
        foreach (var sockets in options.WebSocketCounts.TakeWhile(_ => result.WebSocketNote is null))
        {
            await PhaseAsync(result, $"ws={sockets}", timeout, budget, async ct =>
            {
                var echo = await WebSocketEchoLoad.RunAsync(await url(ct), sockets, options.LoadWarmup, options.LoadDuration, ct);
                if (echo is null)
                {
                    result.WebSocketNote = "not available";
                    Progress($"{result.Name}: /ws answers 404 (no WebSocket relay): WebSocket rows not available");
                    return;
                }

                result.WebSocketEcho.Add(echo);
                Progress($"{result.Name}: ws={sockets} {echo.MessagesPerSecond:N0} msg/s, p50 {echo.P50Ms:0.00} ms, p99 {echo.P99Ms:0.00} ms");
                if (echo.Errors > 0 || echo.Messages == 0)
                {
                    result.Errors.Add($"ws={sockets}: {echo.Errors} failed round trips of {echo.Messages + echo.Errors} (first: {echo.FirstError})");
                }
            });
        }
    }

    private async Task MeasureIdleAsync(TunnelStack tunnel, List<PathResult> results, CancellationTokenSource budget)
    {
        var streamed = results.First(r => r.Key == "tunnel-streamed");
        Progress($"idle cost: registering and connecting {options.IdleAgents} agents");
        await PhaseAsync(streamed, "idle agents", TimeSpan.FromSeconds(options.Quick ? 40 : 180), budget, async ct =>
            streamed.Idle = await IdleAgentsMeasurement.RunAsync(tunnel, options.IdleAgents, options.IdleSettle, Progress, ct));
        // The idle agents' disconnects (registry deletes) must not overlap the next measurement.
        await PhaseAsync(streamed, "idle agents leaving", TimeSpan.FromSeconds(30), budget, async ct =>
        {
            while (await tunnel.ConnectedAgentsAsync(ct) > 1)
            {
                await Task.Delay(100, ct);
            }
        });
        if (streamed.Idle is { } idle)
        {
            // One server carries both modes.
            results.First(r => r.Key == "tunnel-buffered").Idle = idle;
            Progress($"idle cost: {idle.KiBPerAgent:0.0} KiB per agent ({idle.MiBPer1000Agents:0.0} MiB per 1,000), server CPU {idle.ServerCpuPercentWhileIdle:0.0} % while idle");
        }
    }

    private async Task PhaseAsync(PathResult result, string phase, TimeSpan timeout, CancellationTokenSource budget, Func<CancellationToken, Task> run)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
        bounded.CancelAfter(timeout);
        try
        {
            await run(bounded.Token);
        }
        catch (Exception ex) when (!budget.IsCancellationRequested)
        {
            var message = bounded.IsCancellationRequested ? $"timed out after {timeout.TotalSeconds:0} s" : ex.Message;
            result.Errors.Add($"{phase}: {message}");
            Progress($"{result.Name}: {phase} failed: {message}");
        }
    }

    private void Write(BenchReport report, MachineInfo machine)
    {
        var dir = Path.GetDirectoryName(options.OutPath)!;
        Directory.CreateDirectory(dir);
        File.WriteAllText(options.OutPath, JsonSerializer.Serialize(report, Json));
        var chart = Path.Combine(dir, "chart.svg");
        File.WriteAllText(chart, SvgChart.Render(report.Paths, options, machine));
        Progress($"wrote {options.OutPath} and {chart}");
    }

    private void Progress(string message) =>
        Console.Error.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {message}");
}
