using System.Diagnostics;
using Tunnel.Contracts.Messages;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// One forwarded request's span (<c>tunnel.forward</c>, a child of the incoming request's) and clocks. Its W3C
/// <c>traceparent</c> replaces the caller's in the headers sent to the agent, so the trace continues through the
/// agent to the origin. Without a trace listener there is no span and the caller's headers pass unchanged.
/// </summary>
internal sealed class ForwardTelemetry : IDisposable
{
    private const string TraceParent = "traceparent";
    private const string TraceState = "tracestate";

    private readonly ServerMetrics _metrics;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _bytesToOrigin;
    private long _bytesToCaller;

    internal ForwardTelemetry(ServerMetrics metrics, string clientId, string method)
    {
        _metrics = metrics;
        Activity = ServerTracing.Source.StartActivity("tunnel.forward", ActivityKind.Client);
        Activity?.SetTag("tunnel.client_id", clientId);
        Activity?.SetTag("http.request.method", method);
    }

    public Activity? Activity { get; }

    /// <summary>Puts this span's trace context into the headers for the agent, when there is a span.</summary>
    public void Propagate(List<HttpHeader> headers)
    {
        if (Activity is not { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            return;
        }

        headers.RemoveAll(h => h.Name.Equals(TraceParent, StringComparison.OrdinalIgnoreCase) || h.Name.Equals(TraceState, StringComparison.OrdinalIgnoreCase));
        headers.Add(new HttpHeader(TraceParent, id));
        if (Activity.TraceStateString is { Length: > 0 } state)
        {
            headers.Add(new HttpHeader(TraceState, state));
        }
    }

    public void HeadersReceived() => _metrics.RecordHeaders(ServerMetrics.Since(_started));

    public void BytesToOrigin(int count) => Interlocked.Add(ref _bytesToOrigin, count);

    public void BytesToCaller(int count) => Interlocked.Add(ref _bytesToCaller, count);

    public void Completed(int status, ForwardingError error)
    {
        _metrics.RecordCompleted(status, error, ServerMetrics.Since(_started), Interlocked.Read(ref _bytesToOrigin), Interlocked.Read(ref _bytesToCaller));
        if (Activity is { } activity)
        {
            activity.SetTag("http.response.status_code", status);
            if (error != ForwardingError.None)
            {
                activity.SetTag("tunnel.error", error.ToString());
                activity.SetStatus(ActivityStatusCode.Error, error.ToString());
            }
        }
    }

    public void Dispose() => Activity?.Dispose();
}
