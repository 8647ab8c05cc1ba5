using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Telemetry;

/// <summary>One span per forwarded request on the server and one in the agent; W3C traceparent reaches the origin.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Traceparent_ForwardedRequest_OriginSeesTheServerSpansTrace()
    {
        var clientId = "trace-" + Guid.NewGuid().ToString("N")[..8];
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            // What OpenTelemetry subscribes to when OTLP export is on: the tunnel's sources and ASP.NET Core's.
            ShouldListenTo = s => s.Name is "Tunnel.Server" or "Tunnel.Agent" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var stack = await TunnelStack.StartAsync(clientId: clientId);

        // The caller's own trace: the tunnel's spans join it.
        var callerTrace = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url("/echo/traced"));
        request.Headers.Add("traceparent", $"00-{callerTrace}-{callerSpan}-01");
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        var originSaw = response.Headers.GetValues("X-Echo-Header-traceparent").Single().Split('-');
        originSaw.Should().HaveCount(4);
        (await Eventually.HoldsAsync(() => Forward(stopped, clientId) is not null && stopped.Any(a => a.OperationName == "tunnel.agent.forward" && a.TraceId == callerTrace), TimeSpan.FromSeconds(10)))
            .Should().BeTrue("the server's and the agent's spans end with the request");
        var server = Forward(stopped, clientId)!;
        var agent = stopped.Single(a => a.OperationName == "tunnel.agent.forward" && a.TraceId == callerTrace);

        server.TraceId.Should().Be(callerTrace);
        originSaw[1].Should().Be(server.TraceId.ToHexString(), "the origin's traceparent carries the server span's trace id");
        agent.ParentSpanId.Should().Be(server.SpanId, "the agent's span is a child of the server's");
        originSaw[2].Should().Be(agent.SpanId.ToHexString(), "the origin's parent is the agent's span");
        server.GetTagItem("http.response.status_code").Should().Be(200);
    }

    private static Activity? Forward(IEnumerable<Activity> stopped, string clientId) =>
        stopped.FirstOrDefault(a => a.OperationName == "tunnel.forward" && (string?)a.GetTagItem("tunnel.client_id") == clientId);
}
