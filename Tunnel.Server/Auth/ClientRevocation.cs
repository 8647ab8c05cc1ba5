using Tunnel.Server.Agents;

namespace Tunnel.Server.Auth;

/// <summary>
/// Revokes a client: deletes all of its access, signature and magic tokens and disconnects its agent on this node;
/// the agent's reconnects then fail with 401 until it is given a new token. Used by
/// <c>DELETE /auth/clients/{clientId}/tokens</c> and by the admin page, which must do exactly the same.
/// </summary>
internal sealed class ClientRevocation(
    ClientTokenStore accessTokens,
    SignatureTokenStore signatureTokens,
    MagicTokenStore magicTokens,
    ConnectedAgents agents,
    ILogger<ClientRevocation> logger)
{
    /// <summary>Revokes <paramref name="clientId"/> (already validated); true when its agent was connected here and was dropped.</summary>
    public async Task<bool> RevokeAsync(string clientId, CancellationToken cancellationToken)
    {
        var access = await accessTokens.RevokeAccessTokensAsync(clientId, cancellationToken);
        var signatures = await signatureTokens.RevokeAllAsync(clientId, cancellationToken);
        var magic = await magicTokens.RevokeAllAsync(clientId, cancellationToken);
        var disconnected = false;
        if (agents.TryGet(clientId, out var session))
        {
            session.Abort();
            disconnected = true;
        }

        AuthLog.ClientRevoked(logger, clientId, access, signatures, magic, disconnected);
        return disconnected;
    }
}
