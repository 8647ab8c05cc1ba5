namespace Tunnel.Tests.Cluster;

/// <summary>One request of the cluster load test: which client, what, how many bytes, which range.</summary>
internal sealed record TrafficRequest(int Id, int Client, TrafficKind Kind, long Size, long From, long Length);
