using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Hubs;

/// <summary>
/// Agents that misbehave: answering requests that are not theirs, unknown ids, garbage frames, silence, endless
/// streams. Refused or timed out, logged, and never delivered to anyone's HTTP client.
/// </summary>
public sealed class HubBadInputTests
{
    [Fact]
    public async Task ForeignAgent_AnsweringAnotherClientsRequest_NeverReachesTheCaller()
    {
        await using var server = await TunnelServer.StartAsync(new ServerSettings { Extra = { ["Tunnel:Forwarding:ResponseHeadersTimeout"] = "00:00:02" } });
        var tokenA = await server.RegisterClientAsync("victim");
        var tokenB = await server.RegisterClientAsync("attacker");

        // A's agent takes requests and never answers; B's agent tries to answer them.
        var forwarded = Channel.CreateUnbounded<ForwardRequest>();
        await using var victim = await RawAgentConnection.ConnectAsync(server, "victim", tokenA);
        victim.On<ForwardRequest>(nameof(ITunnelAgent.Forward), r => forwarded.Writer.TryWrite(r));
        await using var attacker = await RawAgentConnection.ConnectAsync(server, "attacker", tokenB);
        var agents = server.Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.TryGet("victim", out _) && agents.TryGet("attacker", out _), TimeSpan.FromSeconds(10)))
            .Should().BeTrue("both agents are routed to before the test starts");

        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokenA);
        var clock = Stopwatch.StartNew();
        var call = http.GetAsync("/secret?clientId=victim");
        var request = await forwarded.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var head = new ResponseHead { StatusCode = 200, Headers = [new HttpHeader("X-Evil", "1")] };
        await attacker.SendAsync(nameof(ITunnelHub.Respond), request.RequestId, head, EvilBody());
        await attacker.SendAsync(nameof(ITunnelHub.Fail), request.RequestId, new ForwardFailure(ForwardFailureKind.OriginUnreachable, "EVIL"));

        using var response = await call.WaitAsync(TimeSpan.FromSeconds(15));
        response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout, "only the victim's own agent may answer, and it never did");
        response.Headers.Contains("X-Evil").Should().BeFalse();
        (await response.Content.ReadAsStringAsync()).Should().NotContain("EVIL");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        (await Eventually.HoldsAsync(() => server.Logs.GetSnapshot().Any(r => r.Id.Name == "ForeignRequest"), TimeSpan.FromSeconds(5)))
            .Should().BeTrue("foreign answers are logged");
        attacker.State.Should().Be(HubConnectionState.Connected);
    }

    [Fact]
    public async Task UnknownRequestIds_AreIgnored_ConnectionStaysUp()
    {
        await using var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync("confused");
        await using var agent = await RawAgentConnection.ConnectAsync(server, "confused", token);

        await agent.SendAsync(nameof(ITunnelHub.Fail), Guid.NewGuid(), new ForwardFailure(ForwardFailureKind.AgentError, "?"));
        await agent.SendAsync(nameof(ITunnelHub.GrantRequestBody), Guid.NewGuid(), 3);
        await agent.SendAsync(nameof(ITunnelHub.Respond), Guid.NewGuid(), new ResponseHead { StatusCode = 200, Headers = [] }, EvilBody());
        var chunks = new List<byte[]>();
        await foreach (var chunk in agent.StreamAsync<byte[]>(nameof(ITunnelHub.ReadRequestBody), Guid.NewGuid(), 4).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            chunks.Add(chunk);
        }

        chunks.Should().BeEmpty("there is no such request body to read");

        // An invocation completes only after the server dispatched everything sent before it on this connection, and
        // its completion comes back on the same connection: the server got through the garbage and kept the line.
        await agent.InvokeAsync(nameof(ITunnelHub.Fail), Guid.NewGuid(), new ForwardFailure(ForwardFailureKind.AgentError, "?")).WaitAsync(TimeSpan.FromSeconds(10));
        (await Eventually.HoldsAsync(() => server.Logs.GetSnapshot().Count(r => r.Id.Name == "ForeignRequest") == 4, TimeSpan.FromSeconds(10)))
            .Should().BeTrue("each unknown id but the grant's is logged and ignored");
        agent.State.Should().Be(HubConnectionState.Connected);
        server.Services.GetRequiredService<ConnectedAgents>().TryGet("confused", out _).Should().BeTrue();
    }

    [Fact]
    public async Task MalformedFrames_CloseOnlyThatConnection_OthersKeepServing()
    {
        await using var stack = await TunnelStack.StartAsync();
        var token = await stack.Server.RegisterClientAsync("garbage");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        var url = new UriBuilder(stack.Server.BaseAddress) { Scheme = "ws", Path = "/ws", Query = "clientId=garbage&sender=true" }.Uri;
        await socket.ConnectAsync(url, CancellationToken.None);
        var garbage = new byte[4096];
        Random.Shared.NextBytes(garbage);
        await socket.SendAsync(garbage, WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync("{\"protocol\":\"nope\"}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);

        // The server closes the connection that sent garbage.
        var buffer = new byte[1024];
        var closed = await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var result = await socket.ReceiveAsync(buffer, timeout.Token);
                return result.MessageType == WebSocketMessageType.Close;
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                return socket.State is WebSocketState.Aborted or WebSocketState.Closed or WebSocketState.CloseReceived;
            }
        }, TimeSpan.FromSeconds(15));
        closed.Should().BeTrue();
        stack.Server.Services.GetRequiredService<ConnectedAgents>().TryGet("garbage", out _).Should().BeFalse();

        using var http = stack.CreateClient();
        using var response = await http.GetAsync(stack.Url("/json"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task StreamThatGoesQuiet_IsAbortedAfterIdleTimeout(string mode)
    {
        await using var stack = await TunnelStack.StartAsync(new ServerSettings { Extra = { ["Tunnel:Forwarding:ResponseIdleTimeout"] = "00:00:02" } });
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url("/stall/1000"));
        request.Headers.Add("X-Tunnel-Response", mode);
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(20));
        if (mode == "buffered")
        {
            response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        }
        else
        {
            var read = () => BodyHash.ReadAsync(response, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            await read.Should().ThrowAsync<Exception>("a body that stopped arriving must not look complete");
        }

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
        (await Eventually.HoldsAsync(() => stack.Origin.CancelledRequests >= 1, TimeSpan.FromSeconds(5))).Should().BeTrue("the agent is told to stop");
    }

    private static async IAsyncEnumerable<byte[]> EvilBody([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return "EVIL"u8.ToArray();
    }
}
