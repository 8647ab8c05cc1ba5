using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Auth;

/// <summary><c>/auth/signature-token</c> (create, delete) and <c>/auth/validate-signature-token</c>, as the original.</summary>
internal static class SignatureTokenEndpoints
{
    public static RouteGroupBuilder MapSignatureTokens(this RouteGroupBuilder group)
    {
        group.MapPost("/signature-token", CreateAsync).Requires(RouteCredential.ClientToken, "signature-token");
        group.MapDelete("/signature-token", DeleteAllAsync).Requires(RouteCredential.ClientToken, "delete-signature-tokens");
        // Every method, so that nothing here ever falls through to a home server and answers 404: the web app takes a
        // 404 from this route as "this apiUrl is not a tunnel" and remembers it for good. Validating only reads.
        group.Map("/validate-signature-token", Validate).Requires(RouteCredential.SignatureToken, "validate-signature-token");
        return group;
    }

    private static async Task<Ok<TokenResponse>> CreateAsync(
        HttpContext context,
        SignatureTokenStore signatures,
        IOptions<AuthOptions> options,
        TimeProvider time,
        ILogger<RequestAuthorizer> logger,
        CancellationToken cancellationToken)
    {
        var clientId = RouteAuthorizationFilter.ClientIdOf(context);

        var token = await signatures.CreateAsync(clientId, cancellationToken);
        AuthLog.SignatureTokenCreated(logger, clientId, time.GetUtcNow() + options.Value.SignatureTokenLifetime);
        return TypedResults.Ok(new TokenResponse(token));
    }

    private static async Task<NoContent> DeleteAllAsync(
        HttpContext context,
        SignatureTokenStore signatures,
        ILogger<RequestAuthorizer> logger,
        CancellationToken cancellationToken)
    {
        var clientId = RouteAuthorizationFilter.ClientIdOf(context);

        var count = await signatures.RevokeAllAsync(clientId, cancellationToken);
        AuthLog.SignatureTokensDeleted(logger, clientId, count);
        return TypedResults.NoContent();
    }

    private static Ok<ValidResponse> Validate() => TypedResults.Ok(new ValidResponse(true));
}
