using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tunnel.Server.Agents;
using Tunnel.Server.Forwarding;

namespace Tunnel.Server.Auth;

/// <summary>
/// <c>/auth/magic-token</c>: a home server registers a one-time login token (POST); a remote app presents it (GET)
/// and gets the home server's own answer to <c>GET /auth/magic-token?magicToken=M</c>, as the original, or for a
/// device link (<see cref="DeviceLinkEndpoints"/>) this server's answer in the same shape.
/// </summary>
internal static class MagicTokenEndpoints
{
    public const string MagicTokenParameter = "magicToken";

    public static RouteGroupBuilder MapMagicTokens(this RouteGroupBuilder group)
    {
        group.MapPost("/magic-token", RegisterAsync);
        group.MapGet("/magic-token", UseAsync);
        return group;
    }

    private static async Task<Results<Ok<SuccessResponse>, ProblemHttpResult>> RegisterAsync(
        HttpContext context,
        RequestAuthorizer authorizer,
        MagicTokenStore magicTokens,
        IOptions<AuthOptions> options,
        ILogger<RequestAuthorizer> logger,
        CancellationToken cancellationToken)
    {
        if (ClientIdRules.FromQuery(context.Request) is not { } clientId)
        {
            return AuthProblems.BadClientId();
        }

        if (await authorizer.AuthorizeClientAsync(context, "register-magic-token", clientId) is { } refusal)
        {
            return refusal.ToProblem(context);
        }

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
        var values = context.Request.Query[MagicTokenParameter];
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
        context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget =
            "/auth/magic-token?" + MagicTokenParameter + "=" + Uri.EscapeDataString(magicToken);
        await forwarder.ForwardAsync(context, agent, ResponseMode.Streamed);
        return TypedResults.Empty;
    }

    private const string UnusableDetail = "A registered, unused and unexpired magicToken is required.";

    /// <summary>Another request used the token between the lookup and now.</summary>
    private static ProblemHttpResult Unusable(HttpContext context) =>
        AuthRefusal.Unauthorized(UnusableDetail, challenge: null).ToProblem(context);
}
