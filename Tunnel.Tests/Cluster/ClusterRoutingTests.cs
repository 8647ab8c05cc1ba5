using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Server.Registry;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Cluster;

/// <summary>
/// Three nodes on one MariaDB (issue 12): a request landing on a node without the client's agent crosses to the
/// node that holds it, byte-exact in every mode; hops are authenticated and never chained; a gone node fails fast.
/// </summary>
public sealed class ClusterRoutingTests
{
    private const long Size = 8L * 1024 * 1024;

    [Fact]
    public async Task Request_OnNodeWithoutAgent_HopsToNodeHoldingIt_ByteExactInEveryMode()
    {
        await using var cluster = await TunnelCluster.StartAsync(2);
        await using var origin = await OriginApp.StartAsync(seed: 3);
        var token = await cluster.Nodes[0].RegisterClientAsync("home-hop");
        await using var agent = await AgentHost.StartAsync(cluster.Nodes[0].BaseAddress, "home-hop", token, origin.BaseAddress);
        using var http = ClientOf(cluster.Nodes[1], token);
        await WaitRoutableAsync(http, "home-hop");

        using (var streamed = await http.GetAsync($"/files/{Size}?clientId=home-hop", HttpCompletionOption.ResponseHeadersRead))
        {
            streamed.StatusCode.Should().Be(HttpStatusCode.OK);
            streamed.Headers.GetValues("X-Tunnel-Via").Should().Equal("node-0");
            (await BodyHash.ReadAsync(streamed, CancellationToken.None)).Should().Be(BodyHash.OfPattern(Size, 3));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/files/{Size}?clientId=home-hop"))
        {
            request.Headers.Add("X-Tunnel-Response", "buffered");
            using var buffered = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            buffered.StatusCode.Should().Be(HttpStatusCode.OK);
            buffered.Content.Headers.ContentLength.Should().Be(Size, "buffered mode is honoured across the hop");
            (await BodyHash.ReadAsync(buffered, CancellationToken.None)).Should().Be(BodyHash.OfPattern(Size, 3));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/files/{Size}?clientId=home-hop"))
        {
            request.Headers.Range = new RangeHeaderValue(1_000_000, 1_999_999);
            using var range = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            range.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            range.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 1000000-1999999/{Size}");
            (await BodyHash.ReadAsync(range, CancellationToken.None)).Should().Be(BodyHash.OfPattern(1_000_000, 3, from: 1_000_000));
        }

        using (var upload = await http.PostAsync("/upload?clientId=home-hop", new PatternContent(3 * 1024 * 1024, seed: 5)))
        {
            upload.StatusCode.Should().Be(HttpStatusCode.OK);
            (await upload.Content.ReadFromJsonAsync<UploadResult>()).Should().Be(BodyHash.OfPattern(3 * 1024 * 1024, 5));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/echo/x?clientId=home-hop"))
        {
            request.Headers.Add("Origin", "https://app.example.com");
            using var echo = await http.SendAsync(request);
            echo.StatusCode.Should().Be(HttpStatusCode.OK);
            echo.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(["https://app.example.com"], "both nodes answer CORS, the caller sees it once");
            echo.Headers.Select(h => h.Key).Should().NotContain(k => k.StartsWith("X-Echo-Header-X-Tunnel", StringComparison.OrdinalIgnoreCase),
                "the hop's secret and counter never reach the home server");
        }
    }

    [Fact]
    public async Task CallerLeavesMidBody_AcrossAHop_HomeServerRequestCancelled()
    {
        await using var cluster = await TunnelCluster.StartAsync(2);
        await using var origin = await OriginApp.StartAsync();
        var token = await cluster.Nodes[0].RegisterClientAsync("home-abort");
        await using var agent = await AgentHost.StartAsync(cluster.Nodes[0].BaseAddress, "home-abort", token, origin.BaseAddress);
        using var http = ClientOf(cluster.Nodes[1], token);
        await WaitRoutableAsync(http, "home-abort");
        var cancelledBefore = origin.CancelledRequests;

        using (var response = await http.GetAsync("/files/268435456?clientId=home-abort", HttpCompletionOption.ResponseHeadersRead))
        {
            response.Headers.GetValues("X-Tunnel-Via").Should().Equal("node-0");
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.ReadExactlyAsync(new byte[256 * 1024]);
        }

        (await Eventually.HoldsAsync(() => origin.CancelledRequests > cancelledBefore, TimeSpan.FromSeconds(10)))
            .Should().BeTrue("the abort crosses the hop and reaches the home server");
    }

    [Theory]
    [InlineData(null, "1")]
    [InlineData("wrong-secret-wrong-secret-wrong-secret-00", "1")]
    [InlineData(TunnelCluster.Secret + "x", "1")]
    [InlineData("", null)]
    public async Task PublicRequest_ImitatingAHopWithoutTheSecret_Refused403(string? secret, string? hops)
    {
        await using var cluster = await TunnelCluster.StartAsync(2);
        await using var origin = await OriginApp.StartAsync();
        var token = await cluster.Nodes[0].RegisterClientAsync("home-fake");
        await using var agent = await AgentHost.StartAsync(cluster.Nodes[0].BaseAddress, "home-fake", token, origin.BaseAddress);
        using var http = ClientOf(cluster.Nodes[0], token);
        await WaitRoutableAsync(http, "home-fake");
        var before = origin.Requests;

        foreach (var node in cluster.Nodes)
        {
            using var client = ClientOf(node, token);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/files/1000?clientId=home-fake");
            if (hops is not null)
            {
                request.Headers.Add("X-Tunnel-Hop", hops);
            }

            if (secret is not null)
            {
                request.Headers.Add("X-Tunnel-Cluster-Secret", secret);
            }

            using var response = await client.SendAsync(request);
            await ProblemAssertions.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden);
        }

        origin.Requests.Should().Be(before, "a refused hop reaches no home server");
    }

    [Fact]
    public async Task SingleNode_RequestImitatingAHop_Refused403()
    {
        await using var stack = await TunnelStack.StartAsync();
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url("/files/1000"));
        request.Headers.Add("X-Tunnel-Hop", "1");
        request.Headers.Add("X-Tunnel-Cluster-Secret", TunnelCluster.Secret);
        using var response = await http.SendAsync(request);
        await ProblemAssertions.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task Hop_ReachingANodeWithoutTheAgent_NeverForwardedAgain(string hops)
    {
        await using var cluster = await TunnelCluster.StartAsync(3);
        await using var origin = await OriginApp.StartAsync();
        var token = await cluster.Nodes[0].RegisterClientAsync("home-limit");
        await using var agent = await AgentHost.StartAsync(cluster.Nodes[0].BaseAddress, "home-limit", token, origin.BaseAddress);
        using var http = ClientOf(cluster.Nodes[1], token);
        await WaitRoutableAsync(http, "home-limit");
        var before = origin.Requests;

        // Node 2 would find node 0 in the registry, but a hop is served where it lands or not at all.
        using var client = ClientOf(cluster.Nodes[2], token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/files/1000?clientId=home-limit");
        request.Headers.Add("X-Tunnel-Hop", hops);
        request.Headers.Add("X-Tunnel-Cluster-Secret", TunnelCluster.Secret);
        using var response = await client.SendAsync(request);

        await ProblemAssertions.ShouldBeProblemAsync(response, hops == "1" ? HttpStatusCode.BadGateway : HttpStatusCode.Forbidden);
        response.Headers.Contains("X-Tunnel-Via").Should().BeFalse();
        origin.Requests.Should().Be(before, "the hop was not forwarded a second time");
    }

    [Fact]
    public async Task Route_ToANodeThatIsGone_Fails502FastWithClearDetail()
    {
        await using var cluster = await TunnelCluster.StartAsync(1);
        var node = cluster.Nodes[0];
        var token = await node.RegisterClientAsync("home-ghost");
        var deadPort = LoopbackPort.Free();
        var factory = node.Services.GetRequiredService<IDbContextFactory<TunnelDbContext>>();
        await using (var db = factory.CreateDbContext())
        {
            // A node that crashed a moment ago: its heartbeat is still fresh, nothing listens at its URL.
            var now = DateTime.UtcNow;
            db.Nodes.Add(new ClusterNode { NodeId = "node-crashed", InternalUrl = $"http://127.0.0.1:{deadPort}/", Started = now, Heartbeat = now.AddSeconds(30) });
            db.Connections.Add(new AgentConnection { ClientId = "home-ghost", ConnectionId = "gone", NodeId = "node-crashed", AgentInstance = "a", Created = now, Updated = now });
            await db.SaveChangesAsync();
        }

        using var http = ClientOf(node, token);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.GetAsync("/files/1000?clientId=home-ghost");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        var problem = await ProblemAssertions.ShouldBeProblemAsync(response, HttpStatusCode.BadGateway);
        problem.Detail().Should().Contain("node-crashed");

        // Not retried forever: the node is skipped from now on, the answer is that no home server is reachable.
        using var again = await http.GetAsync("/files/1000?clientId=home-ghost");
        await ProblemAssertions.ShouldBeProblemAsync(again, HttpStatusCode.FailedDependency);
    }

    [Fact]
    public async Task Revoke_OnAnotherNode_DisconnectsTheAgentWithinSeconds()
    {
        await using var cluster = await TunnelCluster.StartAsync(2);
        await using var origin = await OriginApp.StartAsync();
        var token = await cluster.Nodes[0].RegisterClientAsync("home-revoke");
        await using var agent = await AgentHost.StartAsync(cluster.Nodes[0].BaseAddress, "home-revoke", token, origin.BaseAddress);
        var agents = cluster.Nodes[0].Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.TryGet("home-revoke", out _), TimeSpan.FromSeconds(10))).Should().BeTrue();
        (await Eventually.HoldsAsync(async () => (await cluster.Nodes[0].ConnectionRowsAsync()).Count == 1, TimeSpan.FromSeconds(10))).Should().BeTrue();

        using var admin = cluster.Nodes[1].CreateClient();
        using var revoke = new HttpRequestMessage(HttpMethod.Delete, "/auth/clients/home-revoke/tokens");
        revoke.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TunnelServer.AdminToken);
        (await admin.SendAsync(revoke)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Eventually.HoldsAsync(() => !agents.TryGet("home-revoke", out _), TimeSpan.FromSeconds(5)))
            .Should().BeTrue("node 0 drops the revoked client's agent within seconds");
        // And it stays out: its reconnects are refused.
        await Task.Delay(TimeSpan.FromSeconds(2));
        agents.TryGet("home-revoke", out _).Should().BeFalse();
    }

    [Fact]
    public async Task NewerAgent_OnAnotherNode_DisplacesTheOlderOneWithinSeconds()
    {
        await using var cluster = await TunnelCluster.StartAsync(2);
        var token = await cluster.Nodes[0].RegisterClientAsync("home-newest");
        await using var older = await RawAgentConnection.ConnectAsync(cluster.Nodes[0], "home-newest", token, "&instance=older");
        var displaced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        older.On<string>("Displaced", reason => displaced.TrySetResult(reason));
        var agents0 = cluster.Nodes[0].Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(async () => (await cluster.Nodes[0].ConnectionRowsAsync()).Count == 1, TimeSpan.FromSeconds(10))).Should().BeTrue();

        // A second connection of the same instance on the other node displaces nothing.
        await using var sibling = await RawAgentConnection.ConnectAsync(cluster.Nodes[1], "home-newest", token, "&instance=older");
        await Task.Delay(TunnelCluster.NodeTimeout / 2);
        displaced.Task.IsCompleted.Should().BeFalse("connections of one agent instance never displace each other");
        (await cluster.Nodes[0].ConnectionRowsAsync()).Should().HaveCount(2);

        await using var newer = await RawAgentConnection.ConnectAsync(cluster.Nodes[1], "home-newest", token, "&instance=newer");
        (await displaced.Task.WaitAsync(TimeSpan.FromSeconds(5))).Should().Contain("replaced");
        (await Eventually.HoldsAsync(() => !agents0.TryGet("home-newest", out _), TimeSpan.FromSeconds(5))).Should().BeTrue();
        (await cluster.Nodes[0].ConnectionRowsAsync()).Select(r => r.AgentInstance).Should().Equal("newer");
    }

    private static HttpClient ClientOf(TunnelServer node, string token)
    {
        var http = node.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(30);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task WaitRoutableAsync(HttpClient http, string clientId) =>
        (await Eventually.HoldsAsync(async () =>
        {
            using var response = await http.GetAsync($"/files/10?clientId={clientId}");
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(15))).Should().BeTrue();
}
