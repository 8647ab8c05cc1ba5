using Tunnel.Agent.Telemetry;

namespace Tunnel.Agent.Requests;

/// <summary>A request the agent is serving: its cancellation and the response credit the server has granted.</summary>
internal sealed class ActiveRequest(Guid requestId, int initialCredits) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    public Guid RequestId { get; } = requestId;

    /// <summary>The request's span and counts (Telemetry/); recorded when the request is disposed.</summary>
    public OriginTelemetry? Telemetry { get; init; }

    /// <summary>Response chunks the agent may still send.</summary>
    public SemaphoreSlim Credits { get; } = new(Math.Max(1, initialCredits), int.MaxValue);

    /// <summary>Cancelled when the server says stop or the connection is lost.</summary>
    public CancellationToken Cancelled => _cancel.Token;

    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    public void Grant(int chunks)
    {
        try
        {
            Credits.Release(chunks);
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    public void Dispose()
    {
        Telemetry?.Dispose();
        _cancel.Dispose();
        Credits.Dispose();
    }
}
