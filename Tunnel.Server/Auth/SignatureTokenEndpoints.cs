using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Auth;

/// <summary><c>/auth/signature-token</c> (create, delete) and <c>/auth/validate-signature-token</c>, as the original.</summary>
internal static class SignatureTokenEndpoints
{
    public static RouteGroupBuilder MapSignatureTokens(this RouteGroupBuilder group)
    {
        group.MapPost("/signature-token", CreateAsync);
        group.MapDelete("/signature-token", DeleteAllAsync);
        // Every method, so that nothing here ever falls through to a home server and answers 404: the web app takes a
        // 404 from this route as "this apiUrl is not a tunnel" and remembers it for good. Validating only reads.
        group.Map("/validate-signature-token", ValidateAsync);
        return group;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context,
        RequestAuthorizer authorizer,
        SignatureTokenStore signatures,
        IOptions<AuthOptions> options,
        TimeProvider time,
        ILogger<RequestAuthorizer> logger,
        CancellationToken cancellationToken)
    {
        if (ClientIdRules.FromQuery(context.Request) is not { } clientId)
        {
            return AuthProblems.BadClientId();
        }

        if (await authorizer.AuthorizeClientAsync(context, "signature-token", clientId) is { } refusal)
        {
            return refusal.ToProblem(context);
        }

        var token = await signatures.CreateAsync(clientId, cancellationToken);
        AuthLog.SignatureTokenCreated(logger, clientId, time.GetUtcNow() + options.Value.SignatureTokenLifetime);
        return TypedResults.Ok(new TokenResponse(token));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAllAsync(
        HttpContext context,
        RequestAuthorizer authorizer,
        SignatureTokenStore signatures,
        ILogger<RequestAuthorizer> logger,
        CancellationToken cancellationToken)
    {
        if (ClientIdRules.FromQuery(context.Request) is not { } clientId)
        {
            return AuthProblems.BadClientId();
        }

        if (await authorizer.AuthorizeClientAsync(context, "delete-signature-tokens", clientId) is { } refusal)
        {
            return refusal.ToProblem(context);
        }

        var count = await signatures.RevokeAllAsync(clientId, cancellationToken);
        AuthLog.SignatureTokensDeleted(logger, clientId, count);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ValidResponse>, ProblemHttpResult>> ValidateAsync(
        HttpContext context,
        RequestAuthorizer authorizer)
    {
        if (ClientIdRules.FromQuery(context.Request) is not { } clientId)
        {
            return AuthProblems.BadClientId();
        }

        if (await authorizer.AuthorizeSignatureAsync(context, "validate-signature-token", clientId) is { } refusal)
        {
            return refusal.ToProblem(context);
        }

        return TypedResults.Ok(new ValidResponse(true));
    }
}
