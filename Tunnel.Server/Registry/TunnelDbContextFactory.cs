using Microsoft.EntityFrameworkCore;

namespace Tunnel.Server.Registry;

/// <summary>
/// Hands out the configured provider's context as the shared <see cref="TunnelDbContext"/>, so that the rest of
/// the server never names a provider.
/// </summary>
internal sealed class TunnelDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<TunnelDbContext>
    where TContext : TunnelDbContext
{
    public TunnelDbContext CreateDbContext() => inner.CreateDbContext();
}
