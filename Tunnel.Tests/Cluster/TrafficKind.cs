namespace Tunnel.Tests.Cluster;

/// <summary>What a cluster load test request does.</summary>
internal enum TrafficKind
{
    Streamed,
    Buffered,
    Range,
    Upload,
}
