using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Telemetry;

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, server and agent export their spans and meters over OTLP.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Otlp_EndpointSet_ServerAndAgentExportSpansAndMetrics()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var otel = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };
        await using var stack = await TunnelStack.StartAsync(
            new ServerSettings { Extra = otel },
            otel.ToDictionary(p => p.Key, p => (string?)p.Value));
        using var http = stack.CreateClient();
        using var response = await http.GetAsync(stack.Url("/json"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        (await Eventually.HoldsAsync(() =>
                collector.Received("/v1/traces", "Tunnel.Server", "tunnel.forward")
                && collector.Received("/v1/traces", "Tunnel.Agent", "tunnel.agent.forward")
                && collector.Received("/v1/metrics", "Tunnel.Server", "tunnel.requests")
                && collector.Received("/v1/metrics", "Tunnel.Agent", "tunnel.agent.requests"),
            TimeSpan.FromSeconds(20)))
            .Should().BeTrue("both processes export their spans and meters to the OTLP endpoint");
    }
}
