namespace Tunnel.Server.Health;

/// <summary>
/// <c>GET /health</c>: the original's <c>healthy</c> and <c>hash</c>, plus status, version, database state and
/// the number of agents connected to this node.
/// </summary>
internal sealed record HealthResponse(bool Healthy, string Hash, string Status, string Version, string Database, int ConnectedAgents);
