namespace Tunnel.Server.Cluster;

/// <summary>What a request is with respect to node-to-node hops.</summary>
internal enum HopVerdict
{
    /// <summary>A request from the public: it may be forwarded to another node once.</summary>
    Public,

    /// <summary>An authenticated hop from another node: served here or refused, never forwarded again.</summary>
    Hop,

    /// <summary>Carries hop headers without the cluster's secret (or hopped more than once): refused.</summary>
    Refused,
}
