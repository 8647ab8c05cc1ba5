using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Auth;

/// <summary>
/// Signature tokens: created by a client for URLs that cannot carry headers (<c>&lt;audio src&gt;</c>); they open only
/// the media routes of that client until they expire. Only their SHA-256 is stored.
/// </summary>
internal sealed class SignatureTokenStore(
    IDbContextFactory<TunnelDbContext> contexts,
    TimeProvider time,
    IOptions<AuthOptions> options)
{
    /// <summary>Creates a token for <paramref name="clientId"/>, valid for <see cref="AuthOptions.SignatureTokenLifetime"/>.</summary>
    public async Task<string> CreateAsync(string clientId, CancellationToken cancellationToken)
    {
        var token = TokenGenerator.NewToken();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext();
        db.SignatureTokens.Add(new SignatureToken
        {
            TokenHash = TokenHasher.Hash(token),
            ClientId = clientId,
            Expires = now + options.Value.SignatureTokenLifetime,
            Created = now,
            Updated = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>True when <paramref name="signature"/> is an unexpired signature token of exactly <paramref name="clientId"/>.</summary>
    public async Task<bool> IsValidAsync(string clientId, string signature, CancellationToken cancellationToken)
    {
        if (!TokenFormat.IsPlausible(signature))
        {
            return false;
        }

        // The lookup is by hash: equal hashes are the comparison, so timing says nothing about the token.
        var hash = TokenHasher.Hash(signature);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext();
        return await db.SignatureTokens.AsNoTracking()
            .AnyAsync(t => t.TokenHash == hash && t.ClientId == clientId && t.Expires > now, cancellationToken);
    }

    /// <summary>Deletes every signature token of <paramref name="clientId"/>; returns how many there were.</summary>
    public async Task<int> RevokeAllAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.SignatureTokens.Where(t => t.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
    }
}
