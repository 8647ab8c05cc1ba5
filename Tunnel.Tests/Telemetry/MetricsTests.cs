using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Telemetry;

/// <summary>The Tunnel.Server and Tunnel.Agent meters move as requests flow, and both scrape endpoints serve them.</summary>
public sealed class MetricsTests
{
    private const int Download = 300_000;
    private const int Upload = 100_000;

    [Fact]
    public async Task Meters_RequestsFlow_CountersGaugesAndHistogramsMove()
    {
        await using var stack = await TunnelStack.StartAsync(
            new ServerSettings { Extra = { ["Tunnel:Telemetry:MetricsUrl"] = "http://127.0.0.1:0" } },
            new Dictionary<string, string?> { ["Agent:Telemetry:MetricsUrl"] = "http://127.0.0.1:0" });
        using var recorder = new MeasurementRecorder(
            stack.Server.Services.GetRequiredService<IMeterFactory>(), stack.Agent.Services.GetRequiredService<IMeterFactory>());
        recorder.Observe("tunnel.agents.connected").Should().Be(1);
        recorder.Observe("tunnel.agent.connected").Should().Be(1);
        recorder.Observe("tunnel.requests.in_flight").Should().Be(0);
        recorder.Observe("tunnel.buffered.bytes").Should().Be(0);
        recorder.Observe("tunnel.response_windows.grown.bytes").Should().Be(0);

        using var http = stack.CreateClient();
        // Held open after its headers: in flight on both sides until its body is read.
        using (var held = await http.GetAsync(stack.Url("/files/4000000"), HttpCompletionOption.ResponseHeadersRead))
        {
            held.StatusCode.Should().Be(HttpStatusCode.OK);
            recorder.Observe("tunnel.requests.in_flight").Should().Be(1);
            recorder.Observe("tunnel.agent.requests.in_flight").Should().Be(1);
            (await BodyHash.ReadAsync(held, CancellationToken.None)).Should().Be(BodyHash.OfPattern(4_000_000));
        }

        using (var download = await http.GetAsync(stack.Url($"/files/{Download}")))
        {
            (await download.Content.ReadAsByteArrayAsync()).Should().HaveCount(Download);
        }

        using (var upload = await http.PostAsync(stack.Url("/upload"), new ByteArrayContent(new byte[Upload])))
        {
            upload.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await Eventually.HoldsAsync(() => recorder.Count("tunnel.requests") >= 3 && recorder.Count("tunnel.agent.requests") >= 3, TimeSpan.FromSeconds(10)))
            .Should().BeTrue();
        recorder.Sum("tunnel.requests", ("tunnel.status_class", "2xx"), ("tunnel.error", "None")).Should().Be(3);
        recorder.Count("tunnel.request.time_to_headers").Should().Be(3);
        recorder.Count("tunnel.request.duration", ("tunnel.status_class", "2xx")).Should().Be(3);
        recorder.Sum("tunnel.bytes", ("tunnel.direction", "to_origin")).Should().Be(Upload);
        recorder.Sum("tunnel.bytes", ("tunnel.direction", "to_caller")).Should().BeGreaterThanOrEqualTo(4_000_000 + Download);
        recorder.Sum("tunnel.agent.requests", ("tunnel.status_class", "2xx")).Should().Be(3);
        recorder.Count("tunnel.agent.origin.time_to_headers").Should().Be(3);
        recorder.Sum("tunnel.agent.bytes", ("tunnel.direction", "to_origin")).Should().Be(Upload);
        recorder.Sum("tunnel.agent.bytes", ("tunnel.direction", "from_origin")).Should().BeGreaterThanOrEqualTo(4_000_000 + Download);
        recorder.Observe("tunnel.requests.in_flight").Should().Be(0);

        // A ForwardingError is a tag of its own: a request the origin breaks off after 1000 bytes.
        using (var broken = await http.GetAsync(stack.Url("/break/1000"), HttpCompletionOption.ResponseHeadersRead))
        {
            var read = async () => await broken.Content.ReadAsByteArrayAsync();
            await read.Should().ThrowAsync<HttpRequestException>();
        }

        (await Eventually.HoldsAsync(() => recorder.Sum("tunnel.requests", ("tunnel.error", "BodyIncomplete")) == 1, TimeSpan.FromSeconds(10)))
            .Should().BeTrue("the broken body is counted with its ForwardingError");

        // The same numbers through OpenTelemetry's Prometheus exporter, on the listeners of their own.
        var serverScrape = await ScrapeAsync(stack.Server.Services.GetRequiredService<Tunnel.Server.Telemetry.MetricsEndpointService>().Address!);
        serverScrape.Should().Contain("tunnel_agents_connected").And.Contain("tunnel_requests_total{")
            .And.Contain("tunnel_request_duration_seconds_bucket{").And.Contain("tunnel_request_time_to_headers_seconds_bucket{")
            .And.Contain("tunnel_bytes_total{").And.Contain("tunnel_buffered_bytes").And.Contain("tunnel_requests_in_flight");
        var agentScrape = await ScrapeAsync(stack.Agent.Services.GetRequiredService<Tunnel.Agent.Telemetry.MetricsEndpointService>().Address!);
        agentScrape.Should().Contain("tunnel_agent_connected").And.Contain("tunnel_agent_requests_total{")
            .And.Contain("tunnel_agent_request_duration_seconds_bucket{").And.Contain("tunnel_agent_bytes_total{");
    }

    [Fact]
    public async Task Meters_NoAgentConnected_CountsAgentNotConnected()
    {
        await using var server = await TunnelServer.StartAsync();
        using var recorder = new MeasurementRecorder(server.Services.GetRequiredService<IMeterFactory>());
        var token = await server.RegisterClientAsync("not-connected");
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var response = await http.GetAsync("/json?clientId=not-connected");
        response.StatusCode.Should().Be(HttpStatusCode.FailedDependency);
        recorder.Sum("tunnel.requests", ("tunnel.status_class", "4xx"), ("tunnel.error", "AgentNotConnected")).Should().Be(1);
        recorder.Observe("tunnel.agents.connected").Should().Be(0);
    }

    private static async Task<string> ScrapeAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address };
        using var response = await http.GetAsync("/metrics");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var other = await http.GetAsync("/json?clientId=x");
        other.StatusCode.Should().Be(HttpStatusCode.NotFound, "the metrics listener serves /metrics only");
        return await response.Content.ReadAsStringAsync();
    }
}
