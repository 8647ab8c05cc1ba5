namespace Tunnel.Server.Agents;

/// <summary>How a forwarded request through an agent went wrong: the <c>ForwardingError</c> name, its detail and when.</summary>
internal sealed record AgentFailure(string Error, string Detail, DateTimeOffset At);
