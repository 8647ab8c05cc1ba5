namespace Tunnel.Server.Auth;

internal static class AuthServiceCollectionExtensions
{
    public static WebApplicationBuilder AddTunnelAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdminTokenCheck>();
        builder.Services.AddSingleton<ClientTokenStore>();
        return builder;
    }
}
