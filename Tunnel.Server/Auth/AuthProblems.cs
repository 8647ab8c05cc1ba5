using Microsoft.AspNetCore.Http.HttpResults;

namespace Tunnel.Server.Auth;

/// <summary>The problem answers every authenticating route shares, with the original's status codes.</summary>
internal static class AuthProblems
{
    public static ProblemHttpResult BadClientId() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid clientId", detail: ClientIdRules.Description);
}
