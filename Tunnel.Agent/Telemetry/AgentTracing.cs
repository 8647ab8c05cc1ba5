using System.Diagnostics;

namespace Tunnel.Agent.Telemetry;

/// <summary>The agent's activity source, <c>Tunnel.Agent</c>: one span per request, a child of the server's.</summary>
internal static class AgentTracing
{
    public const string SourceName = "Tunnel.Agent";

    public static readonly ActivitySource Source = new(SourceName);
}
