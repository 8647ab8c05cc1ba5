using Microsoft.EntityFrameworkCore;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Auth;

/// <summary>Client access tokens: created by the admin, presented by agents and by remote apps.</summary>
internal sealed class ClientTokenStore(
    IDbContextFactory<TunnelDbContext> contexts,
    AccessTokenCache cache,
    TimeProvider time,
    ILogger<ClientTokenStore> logger)
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
        if (cache.Allows(hash, clientId, AccessTokenCache.FreshFor))
        {
            return true;
        }

        if (cache.DatabaseRecentlyDown && cache.Allows(hash, clientId, AccessTokenCache.StaleFor))
        {
            return true;
        }

        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            await using var db = contexts.CreateDbContext();
            var row = await db.ClientAccessTokens.AsNoTracking()
                .Where(t => t.TokenHash == hash)
                .Select(t => new { t.ClientId, t.Expires })
                .FirstOrDefaultAsync(cancellationToken);
            if (row is null || (row.Expires is { } expires && expires <= now))
            {
                cache.Forget(hash);
                return false;
            }

            cache.Remember(hash, row.ClientId, row.Expires);
            return row.ClientId == clientId;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The database is unreachable: a token this node has seen recently still opens its own client.
            cache.DatabaseFailed();
            AuthLog.TokenCheckFromCache(logger, clientId, ex.GetType().Name);
            return cache.Allows(hash, clientId, AccessTokenCache.StaleFor);
        }
    }

    public async Task<int> RevokeAccessTokensAsync(string clientId, CancellationToken cancellationToken)
    {
        cache.ForgetClient(clientId);
        await using var db = contexts.CreateDbContext();
        return await db.ClientAccessTokens.Where(t => t.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
    }
}
