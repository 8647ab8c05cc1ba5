using Microsoft.Extensions.Options;

namespace Tunnel.Server.Auth;

internal static class AuthServiceCollectionExtensions
{
    public static WebApplicationBuilder AddTunnelAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        builder.Services.AddSingleton<AdminTokenCheck>();
        builder.Services.AddSingleton<AccessTokenCache>();
        builder.Services.AddSingleton<ClientTokenStore>();
        builder.Services.AddSingleton<SignatureTokenStore>();
        builder.Services.AddSingleton<MagicTokenStore>();
        builder.Services.AddSingleton<FailedAuthLimiter>();
        builder.Services.AddSingleton<RequestAuthorizer>();
        builder.Services.AddSingleton<ClientRevocation>();
        return builder;
    }
}
