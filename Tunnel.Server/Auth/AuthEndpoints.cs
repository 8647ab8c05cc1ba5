using Microsoft.AspNetCore.Http.HttpResults;

namespace Tunnel.Server.Auth;

internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth");
        group.MapPost("/register-client", RegisterClientAsync);
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> RegisterClientAsync(
        HttpRequest request,
        AdminTokenCheck admin,
        ClientTokenStore tokens,
        CancellationToken cancellationToken)
    {
        if (!admin.IsConfigured)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Client registration is closed",
                detail: "Set Tunnel:AdminToken (environment: Tunnel__AdminToken) to open it.");
        }

        if (!admin.IsAdmin(BearerToken.Read(request)))
        {
            return AuthProblems.Unauthorized("A valid admin token is required (Authorization: Bearer <admin token>).");
        }

        var clientId = request.Query["clientId"].ToString();
        if (request.Query["clientId"].Count != 1 || !ClientIdRules.IsValid(clientId))
        {
            return AuthProblems.BadClientId();
        }

        var token = await tokens.CreateAccessTokenAsync(clientId, cancellationToken);
        return TypedResults.Ok(new TokenResponse(token));
    }
}
