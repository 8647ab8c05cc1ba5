using Tunnel.Server.Agents;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// A request waiting for, or receiving, its agent's answer. The hub hands the answer over here; the HTTP side
/// signals <see cref="Finished"/> when it no longer needs the body stream, which ends the hub's Respond call.
/// </summary>
internal sealed class PendingRequest(Guid requestId, AgentSession agent, HttpContext httpContext) : IDisposable
{
    private readonly TaskCompletionSource<AgentAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _bodyPumpStop = new();
    private TaskCompletionSource? _bodyPump;

    public Guid RequestId { get; } = requestId;

    public AgentSession Agent { get; } = agent;

    public HttpContext HttpContext { get; } = httpContext;

    /// <summary>The request's span and byte counts (Telemetry/).</summary>
    public ForwardTelemetry? Telemetry { get; set; }

    public Task<AgentAnswer> Answer => _answer.Task;

    /// <summary>Completes when the HTTP side is done with the response body (delivered, aborted or refused).</summary>
    public Task Finished => _finished.Task;

    /// <summary>Request body chunks the agent has room for.</summary>
    public SemaphoreSlim RequestBodyCredits { get; } = new(0, int.MaxValue);

    /// <summary>Cancelled when the HTTP side is finished, so that the request body pump lets go of the HttpContext.</summary>
    public CancellationToken BodyPumpStopping => _bodyPumpStop.Token;

    public bool TryAnswer(AgentAnswer answer) => _answer.TrySetResult(answer);

    /// <summary>Claims the request body for the one pump allowed per request.</summary>
    public bool TryStartBodyPump()
    {
        var pump = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _bodyPump, pump, null) is not null)
        {
            return false;
        }

        if (_bodyPumpStop.IsCancellationRequested)
        {
            pump.TrySetResult();
            return false;
        }

        return true;
    }

    public void BodyPumpEnded() => Volatile.Read(ref _bodyPump)?.TrySetResult();

    /// <summary>
    /// Ends the exchange: releases the hub's Respond call and stops the request body pump, waiting briefly for it so
    /// that nothing reads the request after the HTTP side returns.
    /// </summary>
    public async Task FinishAsync()
    {
        _finished.TrySetResult();
        // Claim the pump slot so that a late ReadRequestBody cannot start after we return.
        var closed = new TaskCompletionSource();
        closed.SetResult();
        Interlocked.CompareExchange(ref _bodyPump, closed, null);
        await _bodyPumpStop.CancelAsync();
        var pump = Volatile.Read(ref _bodyPump);
        if (pump is not null && !pump.Task.IsCompleted)
        {
            await pump.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        _bodyPumpStop.Dispose();
        RequestBodyCredits.Dispose();
    }
}
