using Microsoft.EntityFrameworkCore;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Auth;

/// <summary>Client access tokens: created by the admin, presented by agents and by remote apps.</summary>
internal sealed class ClientTokenStore(IDbContextFactory<TunnelDbContext> contexts, TimeProvider time)
{
    /// <summary>Creates a token for <paramref name="clientId"/>; only its hash is stored. Returns the token itself.</summary>
    public async Task<string> CreateAccessTokenAsync(string clientId, CancellationToken cancellationToken)
    {
        var token = TokenGenerator.NewToken();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext();
        db.ClientAccessTokens.Add(new ClientAccessToken
        {
            TokenHash = TokenHasher.Hash(token),
            ClientId = clientId,
            Created = now,
            Updated = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>True when <paramref name="token"/> is an unexpired access token of exactly <paramref name="clientId"/>.</summary>
    public async Task<bool> IsAccessTokenOfAsync(string clientId, string token, CancellationToken cancellationToken)
    {
        if (!TokenFormat.IsPlausible(token))
        {
            return false;
        }

        var hash = TokenHasher.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext();
        return await db.ClientAccessTokens.AsNoTracking()
            .AnyAsync(t => t.TokenHash == hash && t.ClientId == clientId && (t.Expires == null || t.Expires > now), cancellationToken);
    }

    public async Task<int> RevokeAccessTokensAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.ClientAccessTokens.Where(t => t.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
    }
}
