using System.Diagnostics;
using Tunnel.Contracts.Messages;

namespace Tunnel.Agent.Telemetry;

/// <summary>
/// One request's span in the agent (<c>tunnel.agent.forward</c>), parented on the server's W3C <c>traceparent</c>
/// from the forwarded headers, and its clocks and byte counts. The origin is sent this span's <c>traceparent</c>.
/// Recorded when disposed, which is when the request ends either way.
/// </summary>
internal sealed class OriginTelemetry : IDisposable
{
    private const string TraceParent = "traceparent";
    private const string TraceState = "tracestate";

    private readonly AgentMetrics _metrics;
    private readonly long _started = Stopwatch.GetTimestamp();
    private int? _status;
    private long _bytesToOrigin;
    private long _bytesFromOrigin;
    private int _disposed;

    internal OriginTelemetry(AgentMetrics metrics, ForwardRequest forward)
    {
        _metrics = metrics;
        string? parent = null;
        string? state = null;
        foreach (var header in forward.Headers)
        {
            if (header.Name.Equals(TraceParent, StringComparison.OrdinalIgnoreCase))
            {
                parent = header.Value;
            }
            else if (header.Name.Equals(TraceState, StringComparison.OrdinalIgnoreCase))
            {
                state = header.Value;
            }
        }

        var context = parent is not null && ActivityContext.TryParse(parent, state, isRemote: true, out var parsed) ? parsed : default;
        Activity = AgentTracing.Source.StartActivity("tunnel.agent.forward", ActivityKind.Client, context);
        Activity?.SetTag("http.request.method", forward.Method);
    }

    public Activity? Activity { get; }

    /// <summary>Replaces the forwarded trace context with this span's, when there is a span.</summary>
    public void Propagate(HttpRequestMessage message)
    {
        if (Activity is not { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            return;
        }

        message.Headers.Remove(TraceParent);
        message.Headers.Remove(TraceState);
        message.Headers.TryAddWithoutValidation(TraceParent, id);
        if (Activity.TraceStateString is { Length: > 0 } state)
        {
            message.Headers.TryAddWithoutValidation(TraceState, state);
        }
    }

    public void HeadersReceived(int status)
    {
        _status = status;
        _metrics.RecordHeaders(Stopwatch.GetElapsedTime(_started));
        Activity?.SetTag("http.response.status_code", status);
    }

    public void BytesToOrigin(int count) => Interlocked.Add(ref _bytesToOrigin, count);

    public void BytesFromOrigin(int count) => Interlocked.Add(ref _bytesFromOrigin, count);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _metrics.RecordCompleted(AgentMetrics.StatusClass(_status), Stopwatch.GetElapsedTime(_started),
            Interlocked.Read(ref _bytesToOrigin), Interlocked.Read(ref _bytesFromOrigin));
        if (Activity is { } activity)
        {
            if (_status is null)
            {
                activity.SetStatus(ActivityStatusCode.Error, "The origin did not answer.");
            }

            activity.Dispose();
        }
    }
}
