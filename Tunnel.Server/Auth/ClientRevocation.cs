using Tunnel.Server.Agents;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Auth;

/// <summary>
/// Revokes a client: deletes all of its access, signature and magic tokens and its connection rows, and disconnects
/// its agent on this node at once and on every other node within seconds (each drops connections whose rows are
/// gone, Cluster/ClusterHeartbeatService, issue 12); the agent's reconnects then fail with 401 until it is given a
/// new token. Used by
/// <c>DELETE /auth/clients/{clientId}/tokens</c> and by the admin page, which must do exactly the same.
/// </summary>
internal sealed class ClientRevocation(
    ClientTokenStore accessTokens,
    SignatureTokenStore signatureTokens,
    MagicTokenStore magicTokens,
    ConnectedAgents agents,
    AgentRegistry registry,
    ILogger<ClientRevocation> logger)
{
    /// <summary>Revokes <paramref name="clientId"/> (already validated); true when its agent was connected here and was dropped.</summary>
    public async Task<bool> RevokeAsync(string clientId, CancellationToken cancellationToken)
    {
        var access = await accessTokens.RevokeAccessTokensAsync(clientId, cancellationToken);
        var signatures = await signatureTokens.RevokeAllAsync(clientId, cancellationToken);
        var magic = await magicTokens.RevokeAllAsync(clientId, cancellationToken);
        await registry.RemoveClientAsync(clientId, cancellationToken);
        var disconnected = false;
        foreach (var session in agents.All(clientId))
        {
            session.Abort();
            disconnected = true;
        }

        AuthLog.ClientRevoked(logger, clientId, access, signatures, magic, disconnected);
        return disconnected;
    }
}
