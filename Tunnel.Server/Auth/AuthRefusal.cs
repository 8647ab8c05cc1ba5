using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Tunnel.Server.Auth;

/// <summary>Why an authenticating route said no: 401 (with the scheme to use) or 429 (with when to retry).</summary>
internal sealed class AuthRefusal
{
    private AuthRefusal(int status, string detail, string? challenge, TimeSpan? retryAfter)
    {
        Status = status;
        Detail = detail;
        Challenge = challenge;
        RetryAfter = retryAfter;
    }

    public int Status { get; }

    public string Detail { get; }

    /// <summary>The <c>WWW-Authenticate</c> value of a 401, if any.</summary>
    public string? Challenge { get; }

    public TimeSpan? RetryAfter { get; }

    public static AuthRefusal Unauthorized(string detail, string? challenge = "Bearer") =>
        new(StatusCodes.Status401Unauthorized, detail, challenge, null);

    public static AuthRefusal TooManyFailures(TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests,
            "Too many failed authentication attempts from this address; retry later.",
            null,
            retryAfter);

    /// <summary>Whole seconds, rounded up, at least 1 (RFC 9110 §10.2.3).</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Sets the refusal's headers on the response and returns its problem answer.</summary>
    public ProblemHttpResult ToProblem(HttpContext context)
    {
        if (Challenge is not null)
        {
            context.Response.Headers.WWWAuthenticate = Challenge;
        }

        if (RetryAfter is { } after)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds(after);
        }

        return TypedResults.Problem(
            statusCode: Status,
            title: Status == StatusCodes.Status429TooManyRequests ? "Too many failed attempts" : "Unauthorized",
            detail: Detail);
    }

    public Task WriteAsync(HttpContext context) => ToProblem(context).ExecuteAsync(context);
}
