using Tunnel.Bench.Paths;
using Tunnel.Bench.Processes;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Measurements;

/// <summary>
/// Measures one path the same way as every other (body throughput, small requests at each concurrency, concurrent
/// streams, WebSocket echo), each phase bounded by a timeout, a failed phase recorded without stopping the others.
/// Each phase is a step of <paramref name="steps"/>' bar.
/// </summary>
internal sealed class PathMeasurer(BenchOptions options, Action<string> progress, BenchProgress? steps = null)
{
    /// <summary>nginx's worker when it is the origin: its CPU counts with the bench's (client + origin).</summary>
    public ProcessGroup? OriginWorkers { get; set; }

    /// <summary>Measurement steps of one path: the body, each concurrency, the streams, each WebSocket count.</summary>
    public int StepsFor(BenchPath path) =>
        1 + options.Concurrencies.Count + 1 + (path.WebSocketUrl is null ? 0 : options.WebSocketCounts.Count);

    public async Task MeasureAsync(BenchPath path, PathResult result, CancellationTokenSource budget)
    {
        var stepsAfter = (steps?.Done ?? 0) + StepsFor(path);
        var phaseTimeout = TimeSpan.FromSeconds(options.Quick ? 30 : 120);
        progress($"{path.Name}: {options.WarmupRuns} + {options.Runs} × {ReportTable.Size(options.BodyBytes)}");
        await PhaseAsync(result, "body", phaseTimeout, budget, async ct =>
            result.Throughput = await ThroughputMeasurement.RunAsync(path, OriginWorkers, options.BodyBytes, options.WarmupRuns, options.Runs, ct));

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

        progress($"{path.Name}: {options.Streams} × {ReportTable.Size(options.StreamBytes)} at once");
        await PhaseAsync(result, "streams", phaseTimeout, budget, async ct =>
            result.Streams = await ConcurrentStreamsMeasurement.RunAsync(path, options.Streams, options.StreamBytes, ct));

        if (path.WebSocketUrl is { } webSocketUrl)
        {
            await MeasureWebSocketsAsync(webSocketUrl, result, phaseTimeout, budget);
        }

        // WebSocket steps skipped (no relay) count as done.
        steps?.DoneUpTo(stepsAfter);
        var t = result.Throughput;
        var c64 = result.SmallRequests.FirstOrDefault(l => l.Concurrency == 64);
        progress($"{path.Name}: {t?.MedianMegabytesPerSecond:N0} MB/s, {t?.TotalCpuSecondsPerGB:0.00} CPU-s/GB, c=64 {c64?.RequestsPerSecond:N0} req/s{(result.Ok ? "" : " — " + string.Join("; ", result.Errors))}");
    }

    private async Task MeasureWebSocketsAsync(Func<CancellationToken, Task<Uri>> url, PathResult result, TimeSpan timeout, CancellationTokenSource budget)
    {
        foreach (var sockets in options.WebSocketCounts.TakeWhile(_ => result.WebSocketNote is null))
        {
            await PhaseAsync(result, $"ws={sockets}", timeout, budget, async ct =>
            {
                var echo = await WebSocketEchoLoad.RunAsync(await url(ct), sockets, options.WebSocketWarmup, options.LoadDuration, ct);
                if (echo is null)
                {
                    result.WebSocketNote = "not available";
                    progress($"{result.Name}: /ws answers 404 (no WebSocket relay): WebSocket rows not available");
                    return;
                }

                result.WebSocketEcho.Add(echo);
                progress($"{result.Name}: ws={sockets} {echo.MessagesPerSecond:N0} msg/s, p50 {echo.P50Ms:0.00} ms, p99 {echo.P99Ms:0.00} ms");
                if (echo.Errors > 0 || echo.Messages == 0)
                {
                    result.Errors.Add($"ws={sockets}: {echo.Errors} failed round trips of {echo.Messages + echo.Errors} (first: {echo.FirstError})");
                }
            });
        }
    }

    public async Task MeasureIdleAsync(TunnelStack tunnel, List<PathResult> results, CancellationTokenSource budget)
    {
        var streamed = results.First(r => r.Key == "tunnel-streamed");
        progress($"idle cost: registering and connecting {options.IdleAgents} agents");
        await PhaseAsync(streamed, "idle agents", TimeSpan.FromSeconds(options.Quick ? 40 : 180), budget, async ct =>
            streamed.Idle = await IdleAgentsMeasurement.RunAsync(tunnel, options.IdleAgents, options.IdleSettle, progress, ct));
        // The idle agents' disconnects (registry deletes) must not overlap the next measurement.
        await PhaseAsync(streamed, "idle agents leaving", TimeSpan.FromSeconds(30), budget, step: false, run: async ct =>
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
            progress($"idle cost: {idle.KiBPerAgent:0.0} KiB per agent ({idle.MiBPer1000Agents:0.0} MiB per 1,000), server CPU {idle.ServerCpuPercentWhileIdle:0.0} % while idle");
        }
    }

    /// <summary>Runs one phase within <paramref name="timeout"/>; a <paramref name="step"/> counts towards the bar.</summary>
    public async Task PhaseAsync(PathResult result, string phase, TimeSpan timeout, CancellationTokenSource budget, Func<CancellationToken, Task> run, bool step = true)
    {
        steps?.Begin(result.Name, phase, step);
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
            progress($"{result.Name}: {phase} failed: {message}");
        }
    }
}
