namespace Tunnel.Server.Forwarding;

/// <summary>
/// Gives the agent credit back as the server drains a response body, half a window at a time, so that a request
/// never has more than one window of chunks queued on the server however slow its caller is. The window starts at
/// <see cref="ForwardingOptions.ResponseCreditWindow"/> and grows with the link's bandwidth-delay product while credit
/// is what holds the agent back (the server waited for chunks and drained them fast), within the memory budgets of
/// <see cref="ResponseWindows"/>; it shrinks back, returning the growth to the budgets, once the caller is the
/// bottleneck (a whole window of chunks found already queued; <see cref="Contracts.Protocol.CreditWindowTuner"/>).
/// Dispose gives the rest of the growth back.
/// </summary>
internal sealed class ResponseCredits(PendingRequest request, ResponseWindows windows) : IDisposable
{
    private readonly ResponseWindows.Lease _lease = windows.Start(request.Agent);

    /// <summary>The current window in chunks.</summary>
    public int Window => _lease.Tuner.Window;

    /// <summary>
    /// Call as each chunk arrives from the agent, before writing it on; <paramref name="waited"/> is whether the server
    /// had to wait for it (<see cref="BodyStream.WaitedForCurrent"/>).
    /// </summary>
    public void ChunkArrived(bool waited) => _lease.Tuner.ChunkArrived(waited);

    public async ValueTask ChunkDrainedAsync()
    {
        var grant = _lease.Tuner.ChunkDrained();
        if (grant > 0)
        {
            await request.Agent.Agent.Grant(request.RequestId, grant);
        }
    }

    public void Dispose() => _lease.Dispose();
}
