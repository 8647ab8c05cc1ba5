using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Forwarding;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// The agent's connection ends while a request is in flight: a streamed response already under way is aborted (the
/// caller sees an error, never a clean end), a buffered one, or one still waiting for headers, gets 502. Each test
/// stops its own agent, so each starts its own stack.
/// </summary>
public sealed class AgentDisconnectTests
{
    private const int Sent = 200_000;

    [Fact]
    public async Task Streamed_AgentDisconnectsMidBody_CallerSeesError()
    {
        await using var stack = await TunnelStack.StartAsync();
        var logs = new LogWatch(stack);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        using var response = await http.GetAsync(stack.Url($"/stall/{Sent}"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
        await body.ReadExactlyAsync(new byte[Sent], cts.Token);

        await stack.Agent.StopAsync();
        var rest = () => BodyHash.ReadAsync(body, cts.Token);

        await rest.Should().ThrowAsync<IOException>("the body was cut short, which must not look like its end");
        cts.IsCancellationRequested.Should().BeFalse("the error must come from the tunnel, not from the test's timeout");
        logs.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task Buffered_AgentDisconnectsMidBody_Returns502Problem()
    {
        await using var stack = await TunnelStack.StartAsync();
        var logs = new LogWatch(stack);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url($"/stall/{Sent}"));
        request.Headers.Add("X-Tunnel-Response", "buffered");
        var sending = http.SendAsync(request, cts.Token);
        // Mid-body: the server holds every byte the origin sent before the agent goes.
        var budget = stack.Server.Services.GetRequiredService<BufferBudget>();
        (await Eventually.HoldsAsync(() => budget.Used >= Sent, TimeSpan.FromSeconds(10))).Should().BeTrue();

        await stack.Agent.StopAsync();
        using var response = await sending;

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway)).Detail().Should().NotBeEmpty();
        logs.ShouldHaveNoErrors();
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task Request_AgentDisconnectsBeforeHeaders_Returns502Problem(string mode)
    {
        await using var stack = await TunnelStack.StartAsync();
        var logs = new LogWatch(stack);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url("/slow/30000"));
        request.Headers.Add("X-Tunnel-Response", mode);
        var sending = http.SendAsync(request, cts.Token);
        (await Eventually.HoldsAsync(() => stack.Origin.Requests > 0, TimeSpan.FromSeconds(10))).Should().BeTrue();

        await stack.Agent.StopAsync();
        using var response = await sending;

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway)).Detail().Should().Contain("disconnected");
        logs.ShouldHaveNoErrors();
    }
}
