using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tunnel.Server.Auth;
using Tunnel.Server.Registry;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Gives the server's token stores a <see cref="FakeTimeProvider"/>, so that expiry can be tested by moving the
/// clock. Only the stores get it: SignalR's keep-alive and Kestrel keep real time.
/// </summary>
public static class TokenStoreClock
{
    public static Action<IServiceCollection> Use(FakeTimeProvider clock) => services =>
    {
        services.Replace(ServiceDescriptor.Singleton(new AccessTokenCache(clock)));
        services.Replace(ServiceDescriptor.Singleton(sp => new ClientTokenStore(
            sp.GetRequiredService<IDbContextFactory<TunnelDbContext>>(),
            sp.GetRequiredService<AccessTokenCache>(),
            clock,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ClientTokenStore>>())));
        services.Replace(ServiceDescriptor.Singleton(sp => new SignatureTokenStore(
            sp.GetRequiredService<IDbContextFactory<TunnelDbContext>>(), clock, sp.GetRequiredService<IOptions<AuthOptions>>())));
        services.Replace(ServiceDescriptor.Singleton(sp => new MagicTokenStore(
            sp.GetRequiredService<IDbContextFactory<TunnelDbContext>>(), clock, sp.GetRequiredService<IOptions<AuthOptions>>())));
    };
}
