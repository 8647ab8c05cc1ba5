namespace Tunnel.Contracts.Hubs;

/// <summary>Where the tunnel hub listens and which query parameters an agent presents.</summary>
public static class HubPaths
{
    /// <summary>The hub's path, the same as the original's WebSocket route.</summary>
    public const string Tunnel = "/ws";

    /// <summary>Query parameter naming the client the agent serves.</summary>
    public const string ClientIdParameter = "clientId";

    /// <summary>
    /// Query parameter that marks the connection as the home side (<c>sender=true</c>), as the original home server does.
    /// </summary>
    public const string SenderParameter = "sender";

    /// <summary>
    /// Query parameter with the agent process's instance id (a GUID made at start, the same on all its connections).
    /// Connections of one instance never displace each other; a new instance displaces the old one (issue 12).
    /// Optional: without it every connection counts as its own instance.
    /// </summary>
    public const string InstanceParameter = "instance";
}
