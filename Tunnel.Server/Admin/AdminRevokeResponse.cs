namespace Tunnel.Server.Admin;

/// <summary>The answer to a revoke from the page: whose tokens were deleted, and whether its agent was dropped here.</summary>
internal sealed record AdminRevokeResponse(string ClientId, bool AgentDisconnected);
