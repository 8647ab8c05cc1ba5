namespace Tunnel.Server.Forwarding;

/// <summary>
/// Gives the agent credit back as the server drains a response body, half a window at a time, so that a request
/// never has more than one window of chunks queued on the server however slow its caller is.
/// </summary>
internal sealed class ResponseCredits(PendingRequest request, int window)
{
    private readonly int _batch = Math.Max(1, window / 2);
    private int _drained;

    public async ValueTask ChunkDrainedAsync()
    {
        if (++_drained < _batch)
        {
            return;
        }

        var grant = _drained;
        _drained = 0;
        await request.Agent.Agent.Grant(request.RequestId, grant);
    }
}
