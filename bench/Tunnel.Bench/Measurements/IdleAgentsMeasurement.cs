using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Bench.Paths;
using Tunnel.Bench.Processes;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Measurements;

/// <summary>
/// Idle cost per connected agent: registers N clients, connects N lightweight SignalR connections to the hub as
/// their agents (WebSockets, SkipNegotiation, MessagePack, the client token as access token), lets them idle, and
/// compares the server's RSS with the one before (with a small warm-up batch already connected). The connections
/// only keep alive; they serve nothing.
/// </summary>
internal static class IdleAgentsMeasurement
{
    private const int ConnectParallelism = 32;
    private const int MaxAttempts = 5;

    public static async Task<IdleResult> RunAsync(TunnelStack stack, int count, TimeSpan settle, Action<string> progress, CancellationToken cancellationToken)
    {
        // A first batch warms the server's connection path (JIT, pools, threads) and counts in the baseline, so
        // that the delta is the marginal cost of the next `count` agents, not the one-time cost of the first one.
        var warmup = Math.Clamp(count / 20, 10, 50);
        var total = warmup + count;
        var tokens = new string[total];
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => tokens[i] = await stack.RegisterClientAsync(ClientId(i), ct));

        var connections = new HubConnection?[total];
        var refusals = new List<string>();
        try
        {
            var refused = await ConnectAsync(stack, tokens, connections, 0, warmup, refusals, cancellationToken);
            var before = await SteadyRssAsync(stack.ServerPid, cancellationToken);
            var started = Stopwatch.GetTimestamp();
            refused += await ConnectAsync(stack, tokens, connections, warmup, count, refusals, cancellationToken);
            var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            progress($"{count} agents connected in {connectSeconds:0.0} s; idling {settle.TotalSeconds:0} s");
            if (refused > 0)
            {
                progress($"the server refused {refused} connects of valid agents (each retried): {string.Join(" | ", refusals.Distinct())}");
            }


            var cpuBefore = ProcFs.CpuSeconds(stack.ServerPid);
            var idleStarted = Stopwatch.GetTimestamp();
            await Task.Delay(settle, cancellationToken);
            var after = await SteadyRssAsync(stack.ServerPid, cancellationToken);
            var cpuPercent = (ProcFs.CpuSeconds(stack.ServerPid) - cpuBefore) / Stopwatch.GetElapsedTime(idleStarted).TotalSeconds * 100;

            var stillConnected = connections.Count(c => c?.State == HubConnectionState.Connected);
            if (stillConnected != total)
            {
                throw new InvalidOperationException($"only {stillConnected} of {total} idle agents stayed connected:\n{stack.ServerLogTail()}");
            }

            var onServer = await stack.ConnectedAgentsAsync(cancellationToken);
            if (onServer < total)
            {
                throw new InvalidOperationException($"the server counts {onServer} connected agents, expected at least {total}");
            }

            var delta = after - before;
            return new IdleResult(
                count,
                Math.Round(connectSeconds, 2),
                Stats.MiB(before),
                Stats.MiB(after),
                Math.Round(delta / (double)(1 << 20) * 1000 / count, 1),
                Math.Round(delta / 1024.0 / count, 1),
                Math.Round(cpuPercent, 2),
                refused,
                refusals.Distinct().ToList());
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = stopping.Token },
                    async (c, _) =>
                    {
                        if (c is not null)
                        {
                            await c.DisposeAsync();
                        }
                    });
            }
            catch (OperationCanceledException)
            {
                // The server is killed next anyway.
            }
        }
    }

    /// <summary>
    /// Connects agents <c>first..first+count-1</c>, 32 at a time. A refused connect is retried (at most
    /// <see cref="MaxAttempts"/> times, 200 ms apart), as a real agent's backoff would; the refusals are counted
    /// and reported, since a valid agent should never be refused.
    /// </summary>
    private static async Task<int> ConnectAsync(TunnelStack stack, string[] tokens, HubConnection?[] connections, int first, int count, List<string> refusals, CancellationToken cancellationToken)
    {
        var refused = 0;
        await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    var connection = Build(stack.ServerAddress, ClientId(i), tokens[i]);
                    connections[i] = connection;
                    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    bounded.CancelAfter(TimeSpan.FromSeconds(30));
                    try
                    {
                        await connection.StartAsync(bounded.Token);
                        return;
                    }
                    catch (Exception ex) when (attempt < MaxAttempts && !ct.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref refused);
                        lock (refusals)
                        {
                            if (refusals.Count < 5)
                            {
                                refusals.Add(ex.Message);
                            }
                        }

                        await connection.DisposeAsync();
                        await Task.Delay(200, ct);
                    }
                }
            });
        return refused;
    }

    private static string ClientId(int i) => $"idle-{i:D5}";

    private static HubConnection Build(Uri server, string clientId, string token)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server, $"/ws?clientId={clientId}&sender=true"), HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .AddMessagePackProtocol();
        return builder.Build();
    }

    /// <summary>The server's RSS once it stops moving: the mean of five samples 200 ms apart.</summary>
    private static async Task<long> SteadyRssAsync(int pid, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        long sum = 0;
        for (var i = 0; i < 5; i++)
        {
            sum += ProcFs.RssBytes(pid);
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        return sum / 5;
    }
}
