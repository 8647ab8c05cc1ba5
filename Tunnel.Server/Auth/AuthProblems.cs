using Microsoft.AspNetCore.Http.HttpResults;

namespace Tunnel.Server.Auth;

/// <summary>The problem answers every authenticating route shares, with the original's status codes.</summary>
internal static class AuthProblems
{
    public static ProblemHttpResult BadClientId() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid clientId", detail: ClientIdRules.Description);

    /// <summary>The <c>clientId</c> query of <paramref name="request"/> is missing, repeated or invalid.</summary>
    public static ProblemHttpResult BadClientId(HttpRequest request) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid clientId", detail: ClientIdRules.Problem(request.Query["clientId"]));

    public static ProblemHttpResult AdministrationClosed() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Client administration is closed",
            detail: "Set Tunnel:AdminToken (environment: Tunnel__AdminToken) to open it.");
}
