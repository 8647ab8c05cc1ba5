using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;
using Tunnel.Tests.Relay;

namespace Tunnel.Tests.Agent;

/// <summary>
/// The agent as it ships, the Native AOT executable (issue 13), against the real server and origin: bodies both ways
/// (SHA-256 at chunk edges) and a relayed WebSocket in order. Everything else runs the same agent code under the JIT;
/// this is where code that only breaks without the JIT (reflection, runtime code generation) shows.
/// </summary>
[Collection(Tunnel.Tests.Load.LoadCollection.Name)]
public sealed class NativeAotAgentTests(NativeAgentBuild build) : IClassFixture<NativeAgentBuild>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task NativeAgent_CarriesBodiesBothWays_AndAWebSocketInOrder()
    {
        await using var origin = await OriginApp.StartAsync();
        await using var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync("native");
        await using var agent = ProjectProcess.StartExecutable(build.Executable, Path.GetDirectoryName(build.Executable)!, [], new Dictionary<string, string>
        {
            ["Agent__ServerUrl"] = server.BaseAddress.ToString(),
            ["Agent__ClientId"] = "native",
            ["Agent__AccessToken"] = token,
            ["Agent__OriginUrl"] = origin.BaseAddress.ToString(),
        });
        var agents = server.Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.TryGet("native", out _), Within)).Should().BeTrue(agent.Output);
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        // Downloads: empty, one byte, one chunk exactly, one past it, several MiB (streamed and buffered).
        foreach (var (size, mode) in new[] { (0L, "streamed"), (1L, "streamed"), (65_536L, "streamed"), (65_537L, "buffered"), (5_000_000L, "streamed"), (3_000_000L, "buffered") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/pattern/{size}/7?clientId=native");
            request.Headers.Add("X-Tunnel-Response", mode);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, $"{size} bytes {mode}; agent output:\n{agent.Output}");
            (await BodyHash.ReadAsync(await response.Content.ReadAsStreamAsync(), CancellationToken.None)).Should().Be(BodyHash.OfPattern(size, seed: 7), $"{size} bytes {mode}");
        }

        // Upload: the agent reads the body from the server's stream.
        using (var upload = await http.PostAsync("/upload?clientId=native", new PatternContent(3_000_001, seed: 9)))
        {
            (await upload.Content.ReadFromJsonAsync<UploadResult>()).Should().Be(BodyHash.OfPattern(3_000_001, seed: 9));
        }

        // WebSocket relay: messages both ways arrive whole and in order.
        var signature = await Tunnel.Tests.Auth.AuthApi.CreateSignatureAsync(server, "native", token);
        using var remote = await TestWebSocketClient.ConnectAsync(RelayApi.Url(server, RelayApi.Query("native", signature)));
        var home = await RelayApi.PairAsync(remote, origin.Home);
        var up = Enumerable.Range(0, 20).Select(i => $"{{\"type\":\"PING\",\"n\":{i}}}").ToList();
        foreach (var message in up)
        {
            await remote.SendTextAsync(message);
        }

        (await home.Received.WaitForCountAsync(1 + up.Count, Within)).Skip(1).Select(m => m.Text).Should().Equal(up);
        var down = new byte[200_000];
        new Random(3).NextBytes(down);
        await home.SendBinaryAsync(down);
        await home.SendTextAsync("after");
        var first = await remote.ReceiveAsync(Within);
        first.Type.Should().Be(WebSocketMessageType.Binary);
        first.Data.Should().Equal(down);
        (await remote.ReceiveTextAsync(Within)).Should().Be("after");
        agent.HasExited.Should().BeFalse(agent.Output);
    }
}
