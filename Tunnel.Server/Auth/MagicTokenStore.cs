using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Auth;

/// <summary>
/// One-time login tokens: a home server registers one for its client, or an agent asks for a device link (issue 9);
/// a remote app presents it once to <c>GET /auth/magic-token</c>. Only the SHA-256 is stored; using it deletes it.
/// </summary>
/// <remarks>
/// Both kinds share <c>magic_tokens</c> and the client's revocation. A device link is stored as the hash of
/// <see cref="DeviceLinkDomain"/> + M rather than of M: a registered token is visible ASCII, so it can never hash
/// like a device link, and one lookup for both hashes tells the kinds apart without a schema change.
/// </remarks>
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

    /// <summary>Prefixed to a device link's token before hashing; a newline is never part of a registered token.</summary>
    private const string DeviceLinkDomain = "tunnel-device-link\n";

    /// <summary>
    /// A new device link of <paramref name="clientId"/>: a token made here (256 bits), usable once within
    /// <see cref="AuthOptions.MagicTokenLifetime"/>, answered by this server instead of the home server.
    /// </summary>
    public async Task<(string MagicToken, DateTimeOffset Expires)> CreateDeviceLinkAsync(string clientId, CancellationToken cancellationToken)
    {
        var token = TokenGenerator.NewToken();
        var now = time.GetUtcNow();
        var expires = now + options.Value.MagicTokenLifetime;
        await using var db = contexts.CreateDbContext();
        await db.MagicTokens.Where(t => t.Expires != null && t.Expires <= now.UtcDateTime).ExecuteDeleteAsync(cancellationToken);
        db.MagicTokens.Add(new MagicToken
        {
            MagicTokenHash = TokenHasher.Hash(DeviceLinkDomain + token),
            ClientId = clientId,
            Expires = expires.UtcDateTime,
            Created = now.UtcDateTime,
            Updated = now.UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return (token, expires);
    }

    /// <summary>Whose unexpired <paramref name="magicToken"/> this is and of which kind, without using it up.</summary>
    public async Task<MagicTokenMatch?> FindAsync(string magicToken, CancellationToken cancellationToken)
    {
        if (!TokenFormat.IsPlausible(magicToken))
        {
            return null;
        }

        var hash = TokenHasher.Hash(magicToken);
        var linkHash = TokenHasher.Hash(DeviceLinkDomain + magicToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext();
        var row = await db.MagicTokens.AsNoTracking()
            .Where(t => (t.MagicTokenHash == hash || t.MagicTokenHash == linkHash) && (t.Expires == null || t.Expires > now))
            .Select(t => new { t.ClientId, t.MagicTokenHash })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new MagicTokenMatch(row.ClientId, IsDeviceLink: row.MagicTokenHash == linkHash);
    }

    /// <summary>
    /// Uses the token up: one guarded delete, so of two concurrent uses exactly one sees a deleted row and wins.
    /// </summary>
    public async Task<bool> ConsumeAsync(MagicTokenMatch match, string magicToken, CancellationToken cancellationToken)
    {
        var clientId = match.ClientId;
        var hash = TokenHasher.Hash(match.IsDeviceLink ? DeviceLinkDomain + magicToken : magicToken);
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
