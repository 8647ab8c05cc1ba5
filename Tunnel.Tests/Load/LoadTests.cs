using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Forwarding;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Load;

/// <summary>Many requests at once: every body checked by SHA-256, every response matched to its own request.</summary>
[Collection(LoadCollection.Name)]
public sealed class LoadTests
{
    private const long MaxSize = 8L * 1024 * 1024;

    [Fact]
    public async Task TenThousandRequests_RandomSizes_Concurrency64_AllByteExactNoMixUps()
    {
        await using var stack = await TunnelStack.StartAsync();
        using var http = stack.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(60);

        // Sizes from 0 B to 8 MiB, log-uniform (as real traffic: mostly small, some large), from a pool so that the
        // expected hashes can be computed once; four seeds so that equal sizes still differ in content.
        var random = new Random(20261126);
        var sizes = Enumerable.Range(0, 48).Select(_ => (long)Math.Pow(MaxSize + 1, random.NextDouble()) - 1).Append(0).Append(MaxSize).ToArray();
        var expected = new ConcurrentDictionary<(long, int), UploadResult>();
        var requests = Enumerable.Range(0, 10_000).Select(i => (Id: i, Size: sizes[random.Next(sizes.Length)], Seed: random.Next(4))).ToArray();

        var failures = new ConcurrentBag<string>();
        long bytes = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = deadline.Token }, async (r, ct) =>
        {
            try
            {
                using var response = await http.GetAsync(stack.Url($"/pattern/{r.Size}/{r.Seed}?id={r.Id}"), HttpCompletionOption.ResponseHeadersRead, ct);
                var body = await BodyHash.ReadAsync(response, ct);
                var want = expected.GetOrAdd((r.Size, r.Seed), k => new UploadResult(k.Item1, PatternStream.Sha256(k.Item1, k.Item2)));
                if (response.StatusCode != HttpStatusCode.OK || body != want || response.Headers.GetValues("X-Pattern-Id").Single() != r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    failures.Add($"#{r.Id} {r.Size}/{r.Seed}: {(int)response.StatusCode} {body}");
                }

                Interlocked.Add(ref bytes, body.Length);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                failures.Add($"#{r.Id} {r.Size}/{r.Seed}: {ex.Message}");
            }
        });

        failures.Should().BeEmpty();
        bytes.Should().BeGreaterThan(1L << 30, "the mix carries gigabytes, not a handful of small bodies");
        stack.Server.Services.GetRequiredService<PendingRequests>().Count.Should().Be(0, "nothing is left pending");
    }

    [Fact]
    public async Task SixteenAgents_SixteenConcurrentEach_EveryResponseFromItsOwnHome()
    {
        await using var server = await TunnelServer.StartAsync();
        var homes = new List<(string ClientId, string Token, OriginApp Origin, AgentHost Agent)>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                var clientId = $"home-{i:00}";
                var token = await server.RegisterClientAsync(clientId);
                var origin = await OriginApp.StartAsync(seed: 100 + i);
                var agent = await AgentHost.StartAsync(server.BaseAddress, clientId, token, origin.BaseAddress);
                homes.Add((clientId, token, origin, agent));
            }

            var agents = server.Services.GetRequiredService<Tunnel.Server.Agents.ConnectedAgents>();
            (await Eventually.HoldsAsync(() => agents.Count == 16, TimeSpan.FromSeconds(30))).Should().BeTrue();

            const long size = 300_000;
            var failures = new ConcurrentBag<string>();
            await Task.WhenAll(homes.SelectMany(home => Enumerable.Range(0, 16).Select(async n =>
            {
                using var http = server.CreateClient();
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", home.Token);
                // Each origin serves its own seed at /files/{size}: a response from another home has another hash.
                using var response = await http.GetAsync($"/files/{size + n}?clientId={home.ClientId}", HttpCompletionOption.ResponseHeadersRead);
                var body = await BodyHash.ReadAsync(response, CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK || body != BodyHash.OfPattern(size + n, home.Origin.Seed))
                {
                    failures.Add($"{home.ClientId} #{n}: {(int)response.StatusCode}");
                }
            }))).WaitAsync(TimeSpan.FromMinutes(2));

            failures.Should().BeEmpty();
        }
        finally
        {
            foreach (var home in homes)
            {
                await home.Agent.DisposeAsync();
                await home.Origin.DisposeAsync();
            }
        }
    }
}
