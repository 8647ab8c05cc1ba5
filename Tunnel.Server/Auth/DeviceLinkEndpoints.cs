using Microsoft.AspNetCore.Http.HttpResults;

namespace Tunnel.Server.Auth;

/// <summary>
/// <c>POST /auth/device-link?clientId=X</c>: an agent (<c>Tunnel.Agent link</c>) asks for a one-time login link for
/// its client, so that a phone can log in by scanning it without the home server's own tunnel client (issue 9).
/// The answer's magic token is then used at <c>GET /auth/magic-token</c>, which this server answers itself.
/// </summary>
internal static class DeviceLinkEndpoints
{
    public static RouteGroupBuilder MapDeviceLinks(this RouteGroupBuilder group)
    {
        group.MapPost("/device-link", CreateAsync).Requires(RouteCredential.ClientToken, "device-link");
        return group;
    }

    private static async Task<Ok<DeviceLinkResponse>> CreateAsync(
        HttpContext context,
        MagicTokenStore magicTokens,
        ILogger<RequestAuthorizer> logger,
        CancellationToken cancellationToken)
    {
        var clientId = RouteAuthorizationFilter.ClientIdOf(context);

        var (magicToken, expires) = await magicTokens.CreateDeviceLinkAsync(clientId, cancellationToken);
        AuthLog.DeviceLinkCreated(logger, clientId, expires);
        return TypedResults.Ok(new DeviceLinkResponse(magicToken, expires));
    }
}
