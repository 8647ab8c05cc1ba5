using Microsoft.AspNetCore.Http.HttpResults;
using Tunnel.Server.Agents;
using Tunnel.Server.Auth;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// <c>GET /auth/magic-token</c>: a remote app presents a one-time login token (registered with POST, see
/// <see cref="MagicTokenEndpoints"/>) and gets the home server's own answer to <c>GET /auth/magic-token?magicToken=M</c>,
/// as the original, or for a device link (<see cref="DeviceLinkEndpoints"/>) this server's answer in the same shape.
/// </summary>
internal static class MagicTokenUseEndpoints
{
    public static IEndpointRouteBuilder MapMagicTokenUse(this IEndpointRouteBuilder app)
    {
        app.MapGet("/auth/magic-token", UseAsync);
        return app;
    }

    /// <summary>
    /// Uses the token up. A device link is answered here with a new client access token of its client (the home
    /// server is not needed); a token the home server registered is forwarded to that home server, and only used up
    /// once it is connected here, so a 424 leaves it usable.
    /// </summary>
    private static async Task<Results<Ok<MagicTokenLogin>, EmptyHttpResult, ProblemHttpResult>> UseAsync(
        HttpContext context,
        RequestAuthorizer authorizer,
        MagicTokenStore magicTokens,
        ClientTokenStore clientTokens,
        ConnectedAgents agents,
        RequestForwarder forwarder,
        ILogger<RequestAuthorizer> logger)
    {
        var values = context.Request.Query[MagicTokenEndpoints.MagicTokenParameter];
        MagicTokenMatch? match = null;
        var refusal = await authorizer.DecideAsync(context, "use-magic-token", null, async ct =>
            {
                if (values.Count == 0)
                {
                    return CredentialVerdict.Missing;
                }

                match = values.Count == 1 ? await magicTokens.FindAsync(values[0]!, ct) : null;
                return match is null ? CredentialVerdict.Invalid : CredentialVerdict.Valid;
            },
            UnusableDetail,
            challenge: null);
        if (refusal is not null)
        {
            return refusal.ToProblem(context);
        }

        var magicToken = values[0]!;
        var clientId = match!.ClientId;
        if (match.IsDeviceLink)
        {
            if (!await magicTokens.ConsumeAsync(match, magicToken, context.RequestAborted))
            {
                return Unusable(context);
            }

            var accessToken = await clientTokens.CreateAccessTokenAsync(clientId, context.RequestAborted);
            AuthLog.DeviceLinkUsed(logger, clientId, FailedAuthLimiter.PartitionKey(context));
            return TypedResults.Ok(new MagicTokenLogin(clientId, accessToken));
        }

        if (!agents.TryGet(clientId, out var agent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status424FailedDependency, title: "Home server not connected",
                detail: $"No home server is connected for client '{clientId}'.");
        }

        if (!await magicTokens.ConsumeAsync(match, magicToken, context.RequestAborted))
        {
            return Unusable(context);
        }

        AuthLog.MagicTokenUsed(logger, clientId, FailedAuthLimiter.PartitionKey(context));

        // The home server gets exactly the original's request, whatever else the caller put in the query.
        var target = "/auth/magic-token?" + MagicTokenEndpoints.MagicTokenParameter + "=" + Uri.EscapeDataString(magicToken);
        await forwarder.ForwardAsync(context, agent, ResponseMode.Streamed, target);
        return TypedResults.Empty;
    }

    private const string UnusableDetail = "A registered, unused and unexpired magicToken is required.";

    /// <summary>Another request used the token between the lookup and now.</summary>
    private static ProblemHttpResult Unusable(HttpContext context) =>
        AuthRefusal.Unauthorized(UnusableDetail, challenge: null).ToProblem(context);
}
