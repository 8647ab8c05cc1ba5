using System.Diagnostics;
using System.Text.Json;
using Tunnel.Bench.Measurements;
using Tunnel.Bench.Origin;
using Tunnel.Bench.Paths;
using Tunnel.Bench.Processes;
using Tunnel.Bench.Reporting;
using Tunnel.Bench.Wan;

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

    private PathMeasurer? _measurer;

    /// <summary>Where the run is: a bar over the measurement steps on a terminal, plain lines in a log.</summary>
    private readonly BenchProgress _progress = new();

    private PathMeasurer Measurer => _measurer ??= new PathMeasurer(options, Progress, _progress);

    public async Task<int> RunAsync()
    {
        var startedAt = DateTimeOffset.UtcNow;
        var workDir = Directory.CreateTempSubdirectory("tunnel-bench-").FullName;
        Progress($"{(options.Quick ? "quick smoke run" : "full run")}; database {(options.UseMySql ? "MySQL" : "SQLite")}; work dir {workDir}");
        AgentLauncher agent;
        try
        {
            // Before the budget's clock starts: the publish is bounded on its own (AgentPublisher.Timeout), and the
            // budget is for the measurements.
            agent = await AgentPublisher.LauncherForAsync(options, workDir, Progress, CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // No run without the agent asked for; latest.json keeps the last real run's numbers.
            Progress(ex.Message);
            Progress($"FAILED before measuring anything; log kept in {workDir}");
            _progress.Dispose();
            return 1;
        }

        Progress($"agent: {agent.Description} ({agent.Path})");
        using var budget = new CancellationTokenSource(options.Budget);
        var ct = budget.Token;

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
        NginxFileOrigin? fileOrigin = null;
        List<WanResult> wan = [];
        NginxReference? nginx = null;
        SshReference? ssh = null;
        MariaDbServer? mariaDb = null;
        TunnelStack? tunnel = null;
        TunnelHopNode? hop = null;
        BenchPath? direct = null;
        try
        {
            origin = await OriginServer.StartAsync(ct);
            if (options.NginxOrigin)
            {
                fileOrigin = await NginxFileOrigin.StartAsync([options.BodyBytes, options.StreamBytes, options.WanBytes], origin.BaseAddress, workDir, ct);
            }

            var originAddress = fileOrigin?.BaseAddress ?? origin.BaseAddress;
            Measurer.OriginWorkers = fileOrigin?.Workers;
            Progress($"origin: {(fileOrigin is null ? "the bench's Kestrel app" : "nginx serving files")} on {originAddress}");
            var originWebSocket = new Uri($"ws://{originAddress.Authority}/ws?moosicboxProfile=master");
            direct = new BenchPath { Key = "direct", Name = "direct", BaseAddress = originAddress, WebSocketUrl = _ => Task.FromResult(originWebSocket) };
            var paths = new List<(BenchPath? Path, PathResult Result)> { (direct, ResultFor(direct)) };

            nginx = await StartAsync("nginx", "nginx (1 hop)", () => NginxReference.StartAsync(originAddress.Port, workDir, ct), paths, n => [n.Path], budget);
            ssh = await StartAsync("ssh", "ssh -R", () => SshReference.StartAsync(originAddress.Port, workDir, ct), paths, s => [s.Path], budget);
            string? mySql = options.MySqlConnection;
            if (options.UseMySql && mySql is null)
            {
                mariaDb = await MariaDbServer.StartAsync(workDir, ct);
                mySql = mariaDb.ConnectionString;
                Progress("throwaway MariaDB started");
            }

            tunnel = await StartAsync("tunnel-streamed", "tunnel streamed", () => TunnelStack.StartAsync(options, agent, originAddress, workDir, mySql, ct), paths, t => [t.Streamed, t.Buffered], budget);
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
            var wanPlanned = options.WanDelaysMs.Count > 0 && (tunnel is not null || ssh is not null);
            _progress.Plan(paths.Sum(p => p.Path is null ? 0 : Measurer.StepsFor(p.Path)) + (tunnel is null ? 0 : 1) + (wanPlanned ? 1 : 0));
            foreach (var (path, result) in paths)
            {
                if (path is null)
                {
                    continue;
                }

                if (tunnel is not null && ReferenceEquals(path, tunnel.Streamed))
                {
                    // On the fresh server, before the data plane has grown its heap: a clean baseline.
                    await Measurer.MeasureIdleAsync(tunnel, results, budget);
                }

                await Measurer.MeasureAsync(path, result, budget);
            }

            if (wanPlanned)
            {
                Progress($"WAN: one {ReportTable.Size(options.WanBytes)} download per one-way delay ({string.Join(", ", options.WanDelaysMs)} ms)");
                var wanHolder = results.First(r => r.Key == (tunnel is null ? "ssh" : "tunnel-streamed"));
                await Measurer.PhaseAsync(wanHolder, "WAN", TimeSpan.FromSeconds(options.Quick ? 40 : 240), budget, async ct =>
                    wan = await WanMeasurement.RunAsync(tunnel, ssh, options, Progress, ct));
                foreach (var row in wan.Where(w => w.Errors.Count > 0))
                {
                    wanHolder.Errors.Add($"WAN {row.OneWayDelayMs} ms: {string.Join("; ", row.Errors)}");
                }
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
            fileOrigin?.Dispose();
            direct?.Dispose();
            if (origin is not null)
            {
                await origin.DisposeAsync();
            }
        }

        // Everything the bench started is dead and reaped now: the rest of the machine's busy time is someone else's.
        var others = (ProcFs.MachineBusyCpuSeconds() - machineBusyAtStart) - (ProcFs.SelfAndChildrenCpuSeconds() - ownAtStart);
        var othersPercent = Math.Round(Math.Max(0, others) / (runClock.Elapsed.TotalSeconds * Environment.ProcessorCount) * 100, 1);
        var loadAtEnd = ProcFs.LoadAverage();
        var targets = Targets.Check(results, wan);
        var table = ReportTable.Format(results, options, agent.Description) + Environment.NewLine + ReportTable.FormatWan(wan);
        var originText = options.NginxOrigin ? "nginx serving files from disk (sendfile)" : "the bench's in-process Kestrel app";
        var cipher = ssh?.CipherDescription ?? "ssh did not start";
        var report = new BenchReport(startedAt, Math.Round(_clock.Elapsed.TotalSeconds, 1), options.Quick ? "quick" : "full",
            options.UseMySql ? "MySql" : "Sqlite", commandLine, machine, loadAtStart, othersPercent, results, targets, table)
        {
            LoadAverageAtEnd = loadAtEnd,
            Origin = originText,
            SshCipher = cipher,
            Agent = agent.Description,
            AgentPath = agent.Path,
            Wan = wan,
        };
        // The status line goes before the results are printed; log lines still work after it.
        _progress.Dispose();
        Console.WriteLine();
        Console.WriteLine(report.Table);
        Console.WriteLine(Targets.Format(targets, options.Quick));
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.MemoryGiB} GiB, {machine.Cpu}; {machine.Os}; {machine.Runtime}; {machine.Nginx}; {machine.Ssh}; commit {machine.GitCommit}.");
        Console.WriteLine($"Origin: {originText}; ssh -R cipher: {cipher}; tunnel server and agent with their shipped appsettings.json and runtimeconfig (GC settings).");
        Console.WriteLine($"Agent: {agent.Description} ({agent.Path}).");
        Console.WriteLine($"Other processes used {othersPercent:0.0} % of the machine's CPU during the run (load average {loadAtStart:0.0} at start, {loadAtEnd:0.0} at end){(othersPercent > 5 ? ": MB/s and latency are disturbed, CPU-s/GB much less" : "")}.");
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
        _progress.Starting(name);
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

    private void Write(BenchReport report, MachineInfo machine)
    {
        var dir = Path.GetDirectoryName(options.OutPath)!;
        Directory.CreateDirectory(dir);
        File.WriteAllText(options.OutPath, JsonSerializer.Serialize(report, Json));
        var chart = Path.Combine(dir, "chart.svg");
        File.WriteAllText(chart, SvgChart.Render(report.Paths, options, machine, report.Agent));
        Progress($"wrote {options.OutPath} and {chart}");
    }

    private void Progress(string message) => _progress.Log(message);
}
