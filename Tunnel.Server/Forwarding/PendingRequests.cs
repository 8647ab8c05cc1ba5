using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Tunnel.Server.Agents;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// Requests in flight on this node, by request id. An agent can only touch requests that were sent to its own
/// connection: a lookup names the connection it comes from.
/// </summary>
internal sealed class PendingRequests
{
    private readonly ConcurrentDictionary<Guid, PendingRequest> _requests = new();

    public int Count => _requests.Count;

    public PendingRequest Add(HttpContext context, AgentSession agent)
    {
        while (true)
        {
            var request = new PendingRequest(Guid.NewGuid(), agent, context);
            if (_requests.TryAdd(request.RequestId, request))
            {
                return request;
            }
        }
    }

    public void Remove(PendingRequest request) =>
        _requests.TryRemove(new KeyValuePair<Guid, PendingRequest>(request.RequestId, request));

    /// <summary>Finds a request only if it was sent to <paramref name="connectionId"/>.</summary>
    public bool TryGetOwned(Guid requestId, string connectionId, [NotNullWhen(true)] out PendingRequest? request)
    {
        if (_requests.TryGetValue(requestId, out var found) && found.Agent.ConnectionId == connectionId)
        {
            request = found;
            return true;
        }

        request = null;
        return false;
    }
}
