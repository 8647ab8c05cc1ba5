using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tunnel.Tests.Fixtures;

/// <summary>The stand-in home's playback sessions: what SESSIONS lists, changed by CREATE_SESSION and DELETE_SESSION.</summary>
internal sealed class HomeSessions
{
    private readonly List<JsonNode> _sessions = [];
    private readonly Lock _gate = new();
    private long _nextId;

    /// <summary>The SESSIONS message listing them now.</summary>
    public string Message()
    {
        lock (_gate)
        {
            return HomeMessages.Sessions(_sessions);
        }
    }

    /// <summary>A session from CREATE_SESSION's payload, with the next <c>sessionId</c> (1, 2, …).</summary>
    public void Add(JsonElement? payload)
    {
        var session = payload is { ValueKind: JsonValueKind.Object } p ? JsonNode.Parse(p.GetRawText())!.AsObject() : [];
        session["sessionId"] = Interlocked.Increment(ref _nextId);
        lock (_gate)
        {
            _sessions.Add(session);
        }
    }

    /// <summary>Removes the session DELETE_SESSION's payload names by <c>sessionId</c>.</summary>
    public void Remove(JsonElement? payload)
    {
        if (payload?.TryGetProperty("sessionId", out var id) == true && id.TryGetInt64(out var sessionId))
        {
            lock (_gate)
            {
                _sessions.RemoveAll(s => (long?)s["sessionId"] == sessionId);
            }
        }
    }
}
