using Tunnel.Server.Auth;

namespace Tunnel.Server.Admin;

/// <summary>
/// Guards the admin routes that act or show data: 503 while <c>Tunnel:AdminToken</c> is unset, 401 without a live
/// session cookie, and on every method but GET 403 unless the <see cref="CsrfHeader"/> header carries the session's
/// anti-forgery token.
/// </summary>
/// <remarks>
/// CSRF defence: the synchronizer-token pattern on a server-side session, plus the SameSite=Strict cookie. The token
/// lives only in the session and in the page the session was shown; a custom header cannot be sent cross-origin
/// without a CORS preflight, which the admin routes never grant (CORS is off for them). SameSite=Strict alone would
/// leave sibling subdomains (same site, other origin) and browsers without SameSite able to post; ASP.NET Core's
/// antiforgery would add a second cookie and data-protection keys for what a session-bound token already gives.
/// </remarks>
internal sealed class AdminSessionFilter(AdminTokenCheck admin, AdminSessions sessions, ILogger<AdminSessionFilter> logger) : IEndpointFilter
{
    public const string CsrfHeader = "X-CSRF-Token";

    public const string SessionItem = "tunnel:admin-session";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!admin.IsConfigured)
        {
            return AuthProblems.AdministrationClosed();
        }

        if (sessions.Find(AdminCookie.Read(http)) is not { } session)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in",
                detail: "Sign in at /admin with the admin token.");
        }

        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && !(http.Request.Headers[CsrfHeader] is [{ } presented] && TokenHasher.FixedTimeEquals(presented, session.CsrfToken)))
        {
            AdminLog.ForgeryRefused(logger, http.Request.Method, http.Request.Path, FailedAuthLimiter.PartitionKey(http));
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forgery check failed",
                detail: $"Admin actions need the {CsrfHeader} header of the signed-in page.");
        }

        http.Items[SessionItem] = session;
        return await next(context);
    }
}
