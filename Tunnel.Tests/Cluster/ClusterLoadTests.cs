using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Tunnel.Tests.Fixtures;
using Xunit.Abstractions;

namespace Tunnel.Tests.Cluster;

/// <summary>
/// Issue 12's "done when": three server processes on MariaDB behind Debian's nginx (round robin, no stickiness),
/// four agents with two connections each through nginx; 10,000 mixed requests byte-exact with hops counted; then a
/// node SIGKILLed mid-run: no short 2xx, service back within 5 s, nothing routed to it after its timeout, and the
/// node restarted rejoins by itself.
/// </summary>
[Collection(Tunnel.Tests.Load.LoadCollection.Name)]
public sealed class ClusterLoadTests(ITestOutputHelper output)
{
    private const int Agents = 4;
    private const int Killed = 1;

    [Fact]
    public async Task ThreeNodesBehindNginx_MixedLoadThenSigkill_ByteExactRecoversAndRejoins()
    {
        await using var cluster = await ClusterProcesses.StartAsync(3);
        await using var nginx = await NginxBalancer.StartAsync(cluster.Ports);
        var seeds = Enumerable.Range(0, Agents).Select(i => 40 + i).ToArray();
        var origins = new List<OriginApp>();
        var agents = new List<AgentHost>();
        try
        {
            var tokens = new List<string>();
            for (var i = 0; i < Agents; i++)
            {
                origins.Add(await OriginApp.StartAsync(seeds[i]));
                tokens.Add(await AdminClient.RegisterAsync(nginx.BaseAddress, ClusterTraffic.ClientId(i)));
                agents.Add(await AgentHost.StartAsync(nginx.BaseAddress, ClusterTraffic.ClientId(i), tokens[i], origins[i].BaseAddress,
                    new() { ["Agent:Connections"] = "2" }));
            }

            (await Eventually.HoldsAsync(async () => await cluster.CountAsync("SELECT COUNT(*) FROM connections") == 2 * Agents, TimeSpan.FromSeconds(30)))
                .Should().BeTrue("every agent holds two connections through nginx");
            output.WriteLine($"clients on two nodes: {await cluster.CountAsync("SELECT COUNT(*) FROM (SELECT client_id FROM connections GROUP BY client_id HAVING COUNT(DISTINCT node_id) = 2) x")}");

            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
            {
                BaseAddress = nginx.BaseAddress,
                Timeout = TimeSpan.FromSeconds(60),
            };
            var traffic = new ClusterTraffic(http, tokens, seeds);

            // 1. 10,000 mixed requests, 0 errors, some of them crossing nodes.
            var random = new Random(12);
            var requests = Enumerable.Range(0, 10_000).Select(i => traffic.Next(random, i)).ToArray();
            var results = new ConcurrentBag<TrafficResult>();
            var clock = Stopwatch.StartNew();
            using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4)))
            {
                await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = deadline.Token },
                    async (r, ct) => results.Add(await traffic.SendAsync(r, ct)));
            }

            output.WriteLine($"10,000 requests in {clock.Elapsed}; {results.Count(r => r.Via is not null)} crossed nodes; {results.Sum(r => r.Request.Length)} bytes");
            results.Where(r => !r.Ok).Select(Describe).Should().BeEmpty();
            results.Count(r => r.Via is not null).Should().BeGreaterThan(0, "requests landing on a node without the agent cross to one that has it");

            // 2. SIGKILL one node mid-run.
            var killedAt = await RunWhileKillingAsync(cluster, traffic);
            var during = _during.ToList();
            output.WriteLine($"kill phase: {during.Count} requests, {during.Count(r => !r.Ok)} failed visibly, {during.Count(r => r.Via is not null)} crossed nodes");
            foreach (var failure in during.Where(r => !r.Ok).OrderBy(r => r.Started))
            {
                output.WriteLine($"  {(failure.Started - killedAt).TotalSeconds:0.000} s after the kill: {Describe(failure)}");
            }

            foreach (var node in new[] { 0, 2 })
            {
                output.WriteLine($"node {node}: {string.Join(Environment.NewLine, cluster.Output(node).Split(Environment.NewLine).Where(l => l.Contains("fail", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).Take(40))}");
            }
            during.Where(r => r.Corrupt).Select(Describe).Should().BeEmpty("a request cut by the kill fails visibly, never as a short 2xx");
            during.Where(r => !r.Ok && r.Started >= killedAt + TimeSpan.FromSeconds(5)).Select(Describe)
                .Should().BeEmpty("new requests succeed again within 5 s of the kill");
            during.Where(r => r.Started >= killedAt + ClusterProcesses.NodeTimeout && (r.Via == ClusterProcesses.NodeId(Killed) || r.Detail.Contains(ClusterProcesses.NodeId(Killed), StringComparison.Ordinal)))
                .Select(Describe).Should().BeEmpty("nothing is routed to the dead node after its timeout");
            (await Eventually.HoldsAsync(async () => await cluster.CountAsync($"SELECT COUNT(*) FROM connections WHERE node_id = '{ClusterProcesses.NodeId(Killed)}'") == 0, TimeSpan.FromSeconds(10)))
                .Should().BeTrue("a live node removes the dead node's rows");

            // 3. The killed node, started again, rejoins by itself: heartbeats, serves, and the mix is clean again.
            await cluster.StartNodeAsync(Killed);
            (await Eventually.HoldsAsync(async () => await cluster.CountAsync($"SELECT COUNT(*) FROM nodes WHERE node_id = '{ClusterProcesses.NodeId(Killed)}' AND heartbeat > UTC_TIMESTAMP(6) - INTERVAL 3 SECOND") == 1, TimeSpan.FromSeconds(15)))
                .Should().BeTrue(cluster.Output(Killed));
            using var direct = new HttpClient { BaseAddress = cluster.Address(Killed), Timeout = TimeSpan.FromSeconds(30) };
            var rejoined = new ClusterTraffic(direct, tokens, seeds);
            (await Eventually.HoldsAsync(async () => (await rejoined.SendAsync(new TrafficRequest(1, 0, TrafficKind.Streamed, 100_000, 0, 100_000), CancellationToken.None)).Ok, TimeSpan.FromSeconds(10)))
                .Should().BeTrue("the restarted node serves requests (locally or across nodes)");
            var after = new ConcurrentBag<TrafficResult>();
            await Parallel.ForEachAsync(Enumerable.Range(0, 600).Select(i => traffic.Next(random, 20_000 + i)), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (r, ct) => after.Add(await traffic.SendAsync(r, ct)));
            after.Where(r => !r.Ok).Select(Describe).Should().BeEmpty();
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }

            foreach (var origin in origins)
            {
                await origin.DisposeAsync();
            }
        }
    }

    private readonly ConcurrentBag<TrafficResult> _during = [];

    /// <summary>16 requests at a time for 3 s, the kill, and on until well past the node timeout.</summary>
    private async Task<DateTime> RunWhileKillingAsync(ClusterProcesses cluster, ClusterTraffic traffic)
    {
        var random = new Random(34);
        var id = 10_000;
        var killedAt = DateTime.MaxValue;
        var stopAt = DateTime.UtcNow + TimeSpan.FromSeconds(3) + ClusterProcesses.NodeTimeout + TimeSpan.FromSeconds(8);
        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (DateTime.UtcNow < stopAt)
            {
                TrafficRequest request;
                lock (random)
                {
                    request = traffic.Next(random, id++);
                }

                var started = DateTime.UtcNow;
                _during.Add(await traffic.SendAsync(request, CancellationToken.None) with { Started = started });
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        killedAt = DateTime.UtcNow;
        await cluster.KillAsync(Killed);
        await Task.WhenAll(workers);
        return killedAt;
    }

    private static string Describe(TrafficResult r) =>
        $"#{r.Request.Id} {r.Request.Kind} client {r.Request.Client} {r.Request.Size} B [{r.Request.From}+{r.Request.Length}] via {r.Via ?? "-"} at {r.Started:HH:mm:ss.fff}: {r.Detail}";
}
