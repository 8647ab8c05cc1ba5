using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tunnel.Server.Agents;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// The server's meter, <c>Tunnel.Server</c>. Gauges read the state the features already keep (connected agents,
/// pending requests, the buffered-bytes budget, grown response windows); the rest is recorded once per forwarded
/// request through <see cref="ForwardTelemetry"/>. Exported by OpenTelemetry (Prometheus scrape endpoint, OTLP).
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "Tunnel.Server";

    /// <summary>Bucket bounds in seconds: sub-millisecond small answers up to minute-long downloads.</summary>
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _timeToHeaders;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _bytes;

    public ServerMetrics(IMeterFactory meterFactory, ConnectedAgents agents, PendingRequests pending, BufferBudget budget,
        ResponseWindows windows)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("tunnel.agents.connected", () => agents.Count, "{agent}",
            "Agents connected to this node.");
        meter.CreateObservableUpDownCounter("tunnel.requests.in_flight", () => pending.Count, "{request}",
            "Forwarded requests waiting for or receiving their answer.");
        meter.CreateObservableUpDownCounter("tunnel.buffered.bytes", () => budget.Used, "By",
            "Bytes buffered responses hold now, out of Tunnel:Forwarding:BufferedTotalMaxBytes.");
        meter.CreateObservableUpDownCounter("tunnel.response_windows.grown.bytes", () => windows.NodeReservedBytes, "By",
            "Bytes by which response credit windows have grown beyond their initial size, out of Tunnel:Forwarding:ResponseWindowNodeBudgetBytes.");
        _requests = meter.CreateCounter<long>("tunnel.requests", "{request}",
            "Forwarded requests by status class (tunnel.status_class) and ForwardingError (tunnel.error).");
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets };
        _timeToHeaders = meter.CreateHistogram("tunnel.request.time_to_headers", "s",
            "From the request reaching the forwarder to the agent's status and headers.", advice: advice);
        _duration = meter.CreateHistogram("tunnel.request.duration", "s",
            "From the request reaching the forwarder to its last byte (or failure).", advice: advice);
        _bytes = meter.CreateCounter<long>("tunnel.bytes", "By",
            "Body bytes carried, by direction (tunnel.direction: to_origin, to_caller).");
    }

    /// <summary>Starts the span and the clocks of one forwarded request.</summary>
    public ForwardTelemetry StartForward(string clientId, string method) => new(this, clientId, method);

    /// <summary>A request for a client with no agent on this node (424).</summary>
    public void RecordNotConnected() => _requests.Add(1,
        new KeyValuePair<string, object?>("tunnel.status_class", StatusClass(StatusCodes.Status424FailedDependency)),
        new KeyValuePair<string, object?>("tunnel.error", ErrorName(ForwardingError.AgentNotConnected)));

    internal void RecordHeaders(TimeSpan elapsed) => _timeToHeaders.Record(elapsed.TotalSeconds);

    internal void RecordCompleted(int status, ForwardingError error, TimeSpan elapsed, long bytesToOrigin, long bytesToCaller)
    {
        var statusClass = new KeyValuePair<string, object?>("tunnel.status_class", StatusClass(status));
        var errorTag = new KeyValuePair<string, object?>("tunnel.error", ErrorName(error));
        _requests.Add(1, statusClass, errorTag);
        _duration.Record(elapsed.TotalSeconds, statusClass, errorTag);
        if (bytesToOrigin > 0)
        {
            _bytes.Add(bytesToOrigin, new KeyValuePair<string, object?>("tunnel.direction", "to_origin"));
        }

        if (bytesToCaller > 0)
        {
            _bytes.Add(bytesToCaller, new KeyValuePair<string, object?>("tunnel.direction", "to_caller"));
        }
    }

    public static string StatusClass(int status) => status switch
    {
        >= 100 and < 200 => "1xx",
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        >= 500 and < 600 => "5xx",
        _ => "other",
    };

    /// <summary>Cached names, so that recording allocates nothing.</summary>
    private static readonly string[] ErrorNames = Enum.GetNames<ForwardingError>();

    private static string ErrorName(ForwardingError error) =>
        (int)error >= 0 && (int)error < ErrorNames.Length ? ErrorNames[(int)error] : error.ToString();

    internal static TimeSpan Since(long timestamp) => Stopwatch.GetElapsedTime(timestamp);
}
