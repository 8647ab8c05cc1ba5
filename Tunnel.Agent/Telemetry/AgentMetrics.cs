using System.Diagnostics.Metrics;

namespace Tunnel.Agent.Telemetry;

/// <summary>
/// The agent's meter, <c>Tunnel.Agent</c>. Gauges read the connection and the running requests; the rest is
/// recorded once per request through <see cref="OriginTelemetry"/>.
/// </summary>
internal sealed class AgentMetrics
{
    public const string MeterName = "Tunnel.Agent";

    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _timeToHeaders;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _bytes;

    public AgentMetrics(IMeterFactory meterFactory, AgentGaugeSources gauges)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("tunnel.agent.connected", () => gauges.IsConnected() ? 1 : 0, "{connection}",
            "1 while the agent is connected to the tunnel server.");
        meter.CreateObservableUpDownCounter("tunnel.agent.requests.in_flight", () => gauges.InFlight(), "{request}",
            "Requests the agent is serving.");
        _requests = meter.CreateCounter<long>("tunnel.agent.requests", "{request}",
            "Requests served, by the origin's status class (tunnel.status_class; 'none' when it never answered).");
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets };
        _timeToHeaders = meter.CreateHistogram("tunnel.agent.origin.time_to_headers", "s",
            "From the request reaching the agent to the origin's status and headers.", advice: advice);
        _duration = meter.CreateHistogram("tunnel.agent.request.duration", "s",
            "From the request reaching the agent to its last body byte (or failure).", advice: advice);
        _bytes = meter.CreateCounter<long>("tunnel.agent.bytes", "By",
            "Body bytes carried, by direction (tunnel.direction: to_origin, from_origin).");
    }

    /// <summary>Starts the span and the clocks of one request.</summary>
    public OriginTelemetry Start(Contracts.Messages.ForwardRequest forward) => new(this, forward);

    internal void RecordHeaders(TimeSpan elapsed) => _timeToHeaders.Record(elapsed.TotalSeconds);

    internal void RecordCompleted(string statusClass, TimeSpan elapsed, long bytesToOrigin, long bytesFromOrigin)
    {
        var tag = new KeyValuePair<string, object?>("tunnel.status_class", statusClass);
        _requests.Add(1, tag);
        _duration.Record(elapsed.TotalSeconds, tag);
        if (bytesToOrigin > 0)
        {
            _bytes.Add(bytesToOrigin, new KeyValuePair<string, object?>("tunnel.direction", "to_origin"));
        }

        if (bytesFromOrigin > 0)
        {
            _bytes.Add(bytesFromOrigin, new KeyValuePair<string, object?>("tunnel.direction", "from_origin"));
        }
    }

    public static string StatusClass(int? status) => status switch
    {
        null => "none",
        >= 100 and < 600 => $"{status / 100}xx",
        _ => "other",
    };
}
