namespace Tunnel.Agent.Telemetry;

/// <summary>
/// What the agent's gauges read, handed in by the composition root so that Telemetry/ depends on no other feature
/// (Requests/ and Origin/ record into it).
/// </summary>
/// <param name="IsConnected">True while the agent is connected to the tunnel server.</param>
/// <param name="InFlight">Requests the agent is serving now.</param>
internal sealed record AgentGaugeSources(Func<bool> IsConnected, Func<int> InFlight);
