using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Auth;

/// <summary>
/// <c>POST /auth/magic-token</c>: a home server registers a one-time login token. A remote app presents it with GET,
/// which forwards and so belongs to Forwarding (<c>MagicTokenUseEndpoints</c>).
/// </summary>
internal static class MagicTokenEndpoints
{
    public const string MagicTokenParameter = "magicToken";

    public static RouteGroupBuilder MapMagicTokens(this RouteGroupBuilder group)
    {
        group.MapPost("/magic-token", RegisterAsync).Requires(RouteCredential.ClientToken, "register-magic-token");
        return group;
    }

    private static async Task<Results<Ok<SuccessResponse>, ProblemHttpResult>> RegisterAsync(
        HttpContext context,
        MagicTokenStore magicTokens,
        IOptions<AuthOptions> options,
        ILogger<RequestAuthorizer> logger,
        CancellationToken cancellationToken)
    {
        var clientId = RouteAuthorizationFilter.ClientIdOf(context);

        if (context.Request.Query[MagicTokenParameter] is not { Count: 1 } values || !TokenFormat.IsPlausible(values[0]))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid magicToken",
                detail: "Exactly one magicToken query parameter is required. " + TokenFormat.Description);
        }

        if (!await magicTokens.RegisterAsync(clientId, values[0]!, cancellationToken))
        {
            AuthLog.MagicTokenTaken(logger, clientId);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Magic token taken",
                detail: "This magic token is registered for another client; generate a new one.");
        }

        AuthLog.MagicTokenRegistered(logger, clientId, options.Value.MagicTokenLifetime);
        return TypedResults.Ok(new SuccessResponse(true));
    }
}
