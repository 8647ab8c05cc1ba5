using System.Collections.Concurrent;

namespace Tunnel.Agent.Requests;

/// <summary>The requests in flight, by id, so that Grant and Cancel reach them.</summary>
internal sealed class ActiveRequests
{
    private readonly ConcurrentDictionary<Guid, ActiveRequest> _requests = new();
    private volatile bool _draining;

    public int Count => _requests.Count;

    /// <summary>True once the agent is shutting down: new requests are refused, running ones finish.</summary>
    public bool IsDraining => _draining;

    public void StartDraining() => _draining = true;

    /// <summary>The agent serves again after a drain that was not a stop (new settings, enabled again).</summary>
    public void Resume() => _draining = false;

    public bool TryAdd(ActiveRequest request) => !_draining && _requests.TryAdd(request.RequestId, request);

    /// <summary>Raised when a request is done, so that the connection it came in on can be forgotten.</summary>
    public event Action<Guid>? Ended;

    public void Remove(ActiveRequest request)
    {
        _requests.TryRemove(new KeyValuePair<Guid, ActiveRequest>(request.RequestId, request));
        Ended?.Invoke(request.RequestId);
    }

    public void Grant(Guid requestId, int chunks)
    {
        if (chunks > 0 && _requests.TryGetValue(requestId, out var request))
        {
            request.Grant(chunks);
        }
    }

    public void Cancel(Guid requestId)
    {
        if (_requests.TryGetValue(requestId, out var request))
        {
            request.Cancel();
        }
    }

    public void CancelAll()
    {
        foreach (var request in _requests.Values)
        {
            request.Cancel();
        }
    }
}
