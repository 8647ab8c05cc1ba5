using System.ComponentModel.DataAnnotations;

namespace Tunnel.Server.Cluster;

/// <summary>
/// Several nodes behind one address (issue 12). Section <c>Tunnel:Cluster</c>. Unset <see cref="InternalUrl"/> =
/// a single node, as before: no request is forwarded to another node and none is accepted from one.
/// </summary>
internal sealed class ClusterOptions
{
    public const string SectionName = "Tunnel:Cluster";

    /// <summary>Shortest secret accepted: it is all that separates a hop from a public request.</summary>
    public const int MinSecretLength = 32;

    /// <summary>
    /// How the other nodes reach this one, e.g. <c>http://10.0.0.5:8000</c> (this node's own listener, on a network
    /// the public cannot reach or behind the secret). Default unset: a single node.
    /// </summary>
    public Uri? InternalUrl { get; set; }

    /// <summary>
    /// The secret every node of the cluster shares; a hop carries it and a request imitating a hop without it is
    /// refused. Required (at least 32 characters) when <see cref="InternalUrl"/> is set. No default.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// A node not heard from for this long is dead: its rows are never used to route, and any live node removes
    /// them. Nodes heartbeat at a fifth of it (at most every 2 s). Default 15 s.
    /// </summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>True when this node forwards to and accepts hops from other nodes.</summary>
    public bool Enabled => InternalUrl is not null;

    /// <summary>How often this node heartbeats, writes rows the database missed, and checks its rows.</summary>
    public TimeSpan HeartbeatInterval => TimeSpan.FromTicks(Math.Min(NodeTimeout.Ticks / 5, TimeSpan.FromSeconds(2).Ticks));
}
