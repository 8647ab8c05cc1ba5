using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Faults;

/// <summary>
/// Processes die: the agent killed mid-transfer, the server killed with SIGKILL. Nothing corrupted or misdelivered,
/// no request hangs, and everything recovers without a human.
/// </summary>
[Collection(Tunnel.Tests.Load.LoadCollection.Name)]
public sealed class ProcessFaultTests
{
    private const long BigBody = 256L * 1024 * 1024;

    [Fact]
    public async Task AgentKilledMidTransfer_CallersSeeAbort_RestartedAgentServesWithin5s()
    {
        await using var origin = await OriginApp.StartAsync();
        await using var server = await TunnelServer.StartAsync(new ServerSettings
        {
            Extra = { ["Tunnel:Forwarding:BufferedResponseMaxBytes"] = (512L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        var token = await server.RegisterClientAsync("home-kill");
        var agent = StartAgentProcess(server, origin, "home-kill", token);
        try
        {
            (await Eventually.HoldsAsync(() => IsConnected(server, "home-kill"), TimeSpan.FromSeconds(30))).Should().BeTrue(agent.Output);
            using var http = ClientFor(server, token);

            // A streamed download that has started, and a buffered one still collecting.
            using var streamed = await http.GetAsync("/files/268435456?clientId=home-kill", HttpCompletionOption.ResponseHeadersRead);
            streamed.StatusCode.Should().Be(HttpStatusCode.OK);
            var body = await streamed.Content.ReadAsStreamAsync();
            var first = new byte[64 * 1024];
            await body.ReadExactlyAsync(first);
            var buffered = SendBufferedAsync(http, "/files/268435456?clientId=home-kill");
            var pending = server.Services.GetRequiredService<Tunnel.Server.Forwarding.PendingRequests>();
            (await Eventually.HoldsAsync(() => pending.Count == 2, TimeSpan.FromSeconds(10))).Should().BeTrue("both requests are in flight");

            agent.Kill();

            // The streamed body must end in an error, never in a clean short end.
            var readRest = async () =>
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var buffer = new byte[128 * 1024];
                long total = first.Length;
                int read;
                while ((read = await body.ReadAsync(buffer, cts.Token)) > 0)
                {
                    total += read;
                }

                return total;
            };
            await readRest.Should().ThrowAsync<Exception>("a truncated body must not look complete");

            var bufferedResponse = await buffered.WaitAsync(TimeSpan.FromSeconds(30));
            bufferedResponse.StatusCode.Should().Be(HttpStatusCode.BadGateway);
            (await Eventually.HoldsAsync(() => !IsConnected(server, "home-kill"), TimeSpan.FromSeconds(5))).Should().BeTrue();

            // A restarted agent serves again within 5 s of starting.
            var clock = Stopwatch.StartNew();
            await using var restarted = StartAgentProcess(server, origin, "home-kill", token);
            var served = await Eventually.HoldsAsync(async () =>
            {
                using var response = await http.GetAsync("/files/1000?clientId=home-kill");
                return response.StatusCode == HttpStatusCode.OK
                    && (await BodyHash.ReadAsync(response, CancellationToken.None)) == BodyHash.OfPattern(1000);
            }, TimeSpan.FromSeconds(10));
            served.Should().BeTrue(restarted.Output);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await agent.DisposeAsync();
        }
    }

    [Fact]
    public async Task ServerKilledWithSigkill_AgentBackAfterRestart_NoStaleRowsRoute()
    {
        await using var origin = await OriginApp.StartAsync();
        var folder = Directory.CreateTempSubdirectory("tunnel-sigkill-").FullName;
        var port = LoopbackPort.Free();
        string[] args =
        [
            "--urls", $"http://127.0.0.1:{port}",
            $"--Tunnel:AdminToken={TunnelServer.AdminToken}",
            "--Tunnel:NodeId=node-killed",
            $"--ConnectionStrings:Tunnel=Data Source={Path.Combine(folder, "tunnel.db")}",
        ];
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var server = ProjectProcess.Start("Tunnel.Server", folder, args);
        string token;
        try
        {
            (await server.WaitForLineAsync("Now listening on:", TimeSpan.FromSeconds(60))).Should().NotBeNull(server.Output);
            token = await AdminClient.RegisterAsync(baseAddress, "home-sigkill");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        await using var agent = await AgentHost.StartAsync(baseAddress, "home-sigkill", token, origin.BaseAddress);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await Eventually.HoldsAsync(async () => await StatusAsync(http, "/json?clientId=home-sigkill") == HttpStatusCode.OK, TimeSpan.FromSeconds(15)))
            .Should().BeTrue(server.Output);

        server.Kill(); // SIGKILL: no disconnect handlers run, the row stays behind.
        await server.DisposeAsync();

        await using var again = ProjectProcess.Start("Tunnel.Server", folder, args);
        (await again.WaitForLineAsync("Now listening on:", TimeSpan.FromSeconds(60))).Should().NotBeNull(again.Output);
        var clock = Stopwatch.StartNew();
        (await Eventually.HoldsAsync(async () => await StatusAsync(http, "/json?clientId=home-sigkill") == HttpStatusCode.OK, TimeSpan.FromSeconds(20)))
            .Should().BeTrue(again.Output);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the agent's backoff is capped at 1 s here");
        again.Output.Should().Contain("stale connection rows of node node-killed");
    }

    private static ProjectProcess StartAgentProcess(TunnelServer server, OriginApp origin, string clientId, string token) =>
        ProjectProcess.Start("Tunnel.Agent", Path.GetTempPath(), [], new Dictionary<string, string>
        {
            ["Agent__ServerUrl"] = server.BaseAddress.ToString(),
            ["Agent__ClientId"] = clientId,
            ["Agent__AccessToken"] = token,
            ["Agent__OriginUrl"] = origin.BaseAddress.ToString(),
            ["Agent__ReconnectMaxDelay"] = "00:00:01",
        });

    private static bool IsConnected(TunnelServer server, string clientId) =>
        server.Services.GetRequiredService<ConnectedAgents>().TryGet(clientId, out _);

    private static HttpClient ClientFor(TunnelServer server, string token)
    {
        var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<HttpResponseMessage> SendBufferedAsync(HttpClient http, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Tunnel-Response", "buffered");
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
