using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Faults;

/// <summary>SIGTERM drains: in-flight streams finish, new work is refused, then the process exits by itself.</summary>
[Collection(Tunnel.Tests.Load.LoadCollection.Name)]
public sealed class GracefulShutdownTests
{
    // /drip/30/100: 30 chunks of 64 KiB, 100 ms apart — a stream that is still running when the signal comes.
    private const string DripPath = "/drip/30/100";
    private const long DripBytes = 30L * 64 * 1024;

    [Fact]
    public async Task ServerSigterm_InFlightStreamFinishes_NewRequestsRefused_ProcessExits()
    {
        await using var origin = await OriginApp.StartAsync();
        var folder = Directory.CreateTempSubdirectory("tunnel-drain-").FullName;
        var port = LoopbackPort.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await using var server = ProjectProcess.Start("Tunnel.Server", folder,
        [
            "--urls", baseAddress.ToString().TrimEnd('/'),
            $"--Tunnel:AdminToken={TunnelServer.AdminToken}",
            $"--ConnectionStrings:Tunnel=Data Source={Path.Combine(folder, "tunnel.db")}",
            "--Tunnel:DrainTimeout=00:00:20",
        ]);
        (await server.WaitForLineAsync("Now listening on:", TimeSpan.FromSeconds(60))).Should().NotBeNull(server.Output);
        var token = await AdminClient.RegisterAsync(baseAddress, "home-drain");
        await using var agent = await AgentHost.StartAsync(baseAddress, "home-drain", token, origin.BaseAddress);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await Eventually.HoldsAsync(async () => (await http.GetAsync("/json?clientId=home-drain")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(15)))
            .Should().BeTrue();

        using var stream = await http.GetAsync($"{DripPath}?clientId=home-drain", HttpCompletionOption.ResponseHeadersRead);
        stream.StatusCode.Should().Be(HttpStatusCode.OK);
        var reading = BodyHash.ReadAsync(stream, CancellationToken.None);

        Signal(server.Id, "TERM");
        (await server.WaitForLineAsync("Shutting down: refusing new requests", TimeSpan.FromSeconds(10))).Should().NotBeNull(server.Output);
        using (var fresh = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) })
        {
            // A draining node answers new requests at once with 503 (or no longer listens at all).
            try
            {
                using var refused = await fresh.GetAsync("/json?clientId=home-drain");
                refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
                refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            }
            catch (HttpRequestException)
            {
                // Connection refused: Kestrel already stopped listening. Also a refusal.
            }
        }

        var body = await reading.WaitAsync(TimeSpan.FromSeconds(20));
        body.Length.Should().Be(DripBytes, "the in-flight stream is allowed to finish");
        (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, server.Output);
    }

    [Fact]
    public async Task AgentSigterm_InFlightStreamFinishes_NewRequestsRefused_AgentExits()
    {
        await using var origin = await OriginApp.StartAsync();
        await using var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync("home-agent-drain");
        await using var agent = ProjectProcess.Start("Tunnel.Agent", Path.GetTempPath(), [], new Dictionary<string, string>
        {
            ["Agent__ServerUrl"] = server.BaseAddress.ToString(),
            ["Agent__ClientId"] = "home-agent-drain",
            ["Agent__AccessToken"] = token,
            ["Agent__OriginUrl"] = origin.BaseAddress.ToString(),
            ["Agent__DrainTimeout"] = "00:00:20",
        });
        var agents = server.Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.TryGet("home-agent-drain", out _), TimeSpan.FromSeconds(30))).Should().BeTrue(agent.Output);
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var stream = await http.GetAsync($"{DripPath}?clientId=home-agent-drain", HttpCompletionOption.ResponseHeadersRead);
        stream.StatusCode.Should().Be(HttpStatusCode.OK);
        var reading = BodyHash.ReadAsync(stream, CancellationToken.None);
        var clock = Stopwatch.StartNew();

        Signal(agent.Id, "TERM");
        // The agent logs nothing when its drain starts: wait until a new request is refused, which proves it began.
        (await Eventually.HoldsAsync(async () =>
            {
                using var refused = await http.GetAsync("/json?clientId=home-agent-drain");
                return (int)refused.StatusCode is 503 or 424;
            }, TimeSpan.FromSeconds(10)))
            .Should().BeTrue("a draining agent takes no new requests");

        var body = await reading.WaitAsync(TimeSpan.FromSeconds(20));
        body.Length.Should().Be(DripBytes, "the in-flight stream is allowed to finish");
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.Output);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the agent exits once its last request is done, not at the drain limit");
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
