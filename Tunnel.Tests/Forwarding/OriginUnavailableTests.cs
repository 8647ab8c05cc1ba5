using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// The origin cannot answer: unreachable → 502 with a clear detail; slower than the agent's origin timeout or the
/// server's response-headers timeout → 504. Each case needs its own settings, so each starts its own stack.
/// </summary>
public sealed class OriginUnavailableTests
{
    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task Request_OriginPortClosed_Returns502ProblemWithDetail(string mode)
    {
        var closedPort = ClosedPort();
        await using var stack = await TunnelStack.StartAsync(
            agentSettings: new() { ["Agent:OriginUrl"] = $"http://127.0.0.1:{closedPort}/" });
        var logs = new LogWatch(stack);
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url("/json"));
        request.Headers.Add("X-Tunnel-Response", mode);

        using var response = await http.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        problem.Detail().Should().Contain("could not be reached").And.Contain("ConnectionRefused");
        logs.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task Request_OriginSlowerThanAgentTimeout_Returns504Problem()
    {
        await using var stack = await TunnelStack.StartAsync(agentSettings: new() { ["Agent:OriginTimeout"] = "00:00:01" });
        var logs = new LogWatch(stack);
        using var http = stack.CreateClient();
        var clock = Stopwatch.StartNew();

        using var response = await http.GetAsync(stack.Url("/slow/10000"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout);
        problem.Detail().Should().Contain("1 s");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the agent gives up after its 1 s origin timeout");
        (await Eventually.HoldsAsync(() => stack.Origin.CancelledRequests > 0, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("the origin request is cancelled when the agent gives up on it");
        logs.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task Request_AgentSlowerThanServerTimeout_Returns504ProblemAndCancelsOrigin()
    {
        await using var stack = await TunnelStack.StartAsync(
            new ServerSettings { Extra = { ["Tunnel:Forwarding:ResponseHeadersTimeout"] = "00:00:01" } });
        var logs = new LogWatch(stack);
        using var http = stack.CreateClient();
        var clock = Stopwatch.StartNew();

        using var response = await http.GetAsync(stack.Url("/slow/10000"));

        await response.ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the server gives up after its 1 s headers timeout");
        (await Eventually.HoldsAsync(() => stack.Origin.CancelledRequests > 0, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("the server tells the agent to stop, and the agent cancels the origin request");
        logs.ShouldHaveNoErrors();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
