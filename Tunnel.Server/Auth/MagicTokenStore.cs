using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Auth;

/// <summary>
/// One-time login tokens: a home server registers one for its client, a remote app presents it once to
/// <c>GET /auth/magic-token</c>. Only the SHA-256 is stored; using it deletes it.
/// </summary>
internal sealed class MagicTokenStore(
    IDbContextFactory<TunnelDbContext> contexts,
    TimeProvider time,
    IOptions<AuthOptions> options)
{
    /// <summary>
    /// Registers <paramref name="magicToken"/> for <paramref name="clientId"/> (again: the expiry starts over). False
    /// when the same token is registered for another client, which must not be taken over.
    /// </summary>
    public async Task<bool> RegisterAsync(string clientId, string magicToken, CancellationToken cancellationToken)
    {
        var hash = TokenHasher.Hash(magicToken);
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + options.Value.MagicTokenLifetime;
        await using var db = contexts.CreateDbContext();

        // Expired rows are of no use to anyone; the table stays small.
        await db.MagicTokens.Where(t => t.Expires != null && t.Expires <= now).ExecuteDeleteAsync(cancellationToken);

        var renewed = await db.MagicTokens
            .Where(t => t.MagicTokenHash == hash && t.ClientId == clientId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Expires, expires).SetProperty(t => t.Updated, now), cancellationToken);
        if (renewed == 1)
        {
            return true;
        }

        db.MagicTokens.Add(new MagicToken { MagicTokenHash = hash, ClientId = clientId, Expires = expires, Created = now, Updated = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // The primary key is taken: another client holds this token.
            return false;
        }
    }

    /// <summary>The client an unexpired <paramref name="magicToken"/> belongs to, without using it up.</summary>
    public async Task<string?> FindClientAsync(string magicToken, CancellationToken cancellationToken)
    {
        if (!TokenFormat.IsPlausible(magicToken))
        {
            return null;
        }

        var hash = TokenHasher.Hash(magicToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext();
        return await db.MagicTokens.AsNoTracking()
            .Where(t => t.MagicTokenHash == hash && (t.Expires == null || t.Expires > now))
            .Select(t => t.ClientId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Uses the token up: one guarded delete, so of two concurrent uses exactly one sees a deleted row and wins.
    /// </summary>
    public async Task<bool> ConsumeAsync(string clientId, string magicToken, CancellationToken cancellationToken)
    {
        var hash = TokenHasher.Hash(magicToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext();
        var deleted = await db.MagicTokens
            .Where(t => t.MagicTokenHash == hash && t.ClientId == clientId && (t.Expires == null || t.Expires > now))
            .ExecuteDeleteAsync(cancellationToken);
        return deleted == 1;
    }

    /// <summary>Deletes every magic token of <paramref name="clientId"/>; returns how many there were.</summary>
    public async Task<int> RevokeAllAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.MagicTokens.Where(t => t.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
    }
}
