using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tunnel.Server.Forwarding;
using Tunnel.Server.Hubs;

namespace Tunnel.Server.Auth;

/// <summary>
/// <c>/auth/magic-token</c>: a home server registers a one-time login token (POST); a remote app presents it (GET)
/// and gets the home server's own answer to <c>GET /auth/magic-token?magicToken=M</c>, as the original.
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
    /// Uses the token up and forwards the login to its client's home server. The token is only used up once that
    /// home server is connected here, so a 424 leaves it usable.
    /// </summary>
    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> UseAsync(
        HttpContext context,
        RequestAuthorizer authorizer,
        MagicTokenStore magicTokens,
        ConnectedAgents agents,
        RequestForwarder forwarder,
        ILogger<RequestAuthorizer> logger)
    {
        var values = context.Request.Query[MagicTokenParameter];
        string? clientId = null;
        var refusal = await authorizer.DecideAsync(context, "use-magic-token", null, async ct =>
            {
                if (values.Count == 0)
                {
                    return CredentialVerdict.Missing;
                }

                clientId = values.Count == 1 ? await magicTokens.FindClientAsync(values[0]!, ct) : null;
                return clientId is null ? CredentialVerdict.Invalid : CredentialVerdict.Valid;
            },
            "A registered, unused and unexpired magicToken is required.",
            challenge: null);
        if (refusal is not null)
        {
            return refusal.ToProblem(context);
        }

        var magicToken = values[0]!;
        if (!agents.TryGet(clientId!, out var agent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status424FailedDependency, title: "Home server not connected",
                detail: $"No home server is connected for client '{clientId}'.");
        }

        if (!await magicTokens.ConsumeAsync(clientId!, magicToken, context.RequestAborted))
        {
            // Another request used it between the lookup and now.
            return AuthRefusal.Unauthorized("A registered, unused and unexpired magicToken is required.", challenge: null).ToProblem(context);
        }

        AuthLog.MagicTokenUsed(logger, clientId!, FailedAuthLimiter.PartitionKey(context));

        // The home server gets exactly the original's request, whatever else the caller put in the query.
        context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget =
            "/auth/magic-token?" + MagicTokenParameter + "=" + Uri.EscapeDataString(magicToken);
        await forwarder.ForwardAsync(context, agent, ResponseMode.Streamed);
        return TypedResults.Empty;
    }
}
