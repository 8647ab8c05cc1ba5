using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Tunnel.Server.Auth;
using Tunnel.Server.Hosting;

namespace Tunnel.Server.Admin;

/// <summary>
/// <c>/admin</c>: the operator's page, served by the server itself. Sign in with the admin token (a form; the cookie
/// then holds a session id), watch this node's agents live, revoke a client. CORS is off for every admin route:
/// no other origin may read these answers or send the anti-forgery header.
/// </summary>
internal static class AdminEndpoints
{
    /// <summary>A sign-in form is a few hundred bytes; anything larger is refused before it is read.</summary>
    private const long MaxSignInBytes = 4096;

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").WithMetadata(new DisableCorsAttribute()).AddEndpointFilter<AdminResponseHeaders>();
        admin.MapGet("", ShowPage);
        admin.MapPost("/sign-in", SignInAsync);
        admin.MapGet("/admin.js", static IResult () => AdminAssets.Serve("admin.js"));
        admin.MapGet("/admin.css", static IResult () => AdminAssets.Serve("admin.css"));

        var session = admin.MapGroup("").AddEndpointFilter<AdminSessionFilter>();
        session.MapGet("/events", AdminEvents.Stream);
        session.MapPost("/clients/{clientId}/revoke", RevokeAsync);
        session.MapPost("/sign-out", SignOut);
        return app;
    }

    private static IResult ShowPage(HttpContext context, AdminTokenCheck admin, AdminSessions sessions, IOptions<TunnelOptions> options)
    {
        if (!admin.IsConfigured)
        {
            return AdminPages.Disabled();
        }

        return sessions.Find(AdminCookie.Read(context)) is { } session
            ? AdminPages.Dashboard(session.CsrfToken, options.Value.NodeId)
            : AdminPages.SignIn();
    }

    /// <summary>
    /// Checks the form's token like every admin credential: through the failed-auth limiter (429 while the address is
    /// over its limit; a wrong token is charged to it), compared in constant time.
    /// </summary>
    private static async Task<IResult> SignInAsync(
        HttpContext context, AdminTokenCheck admin, RequestAuthorizer authorizer, AdminSessions sessions, ILogger<AdminSessions> logger)
    {
        if (!admin.IsConfigured)
        {
            return AdminPages.Disabled();
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxSignInBytes;
        }

        if (!context.Request.HasFormContentType || context.Request.ContentLength > MaxSignInBytes)
        {
            return AdminPages.SignIn(StatusCodes.Status400BadRequest, "Sign in with the form on this page.");
        }

        string? token;
        try
        {
            token = (await context.Request.ReadFormAsync(context.RequestAborted))["token"] is [{ } value] ? value : null;
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException)
        {
            return AdminPages.SignIn(StatusCodes.Status400BadRequest, "Sign in with the form on this page.");
        }

        var refusal = await authorizer.DecideAsync(context, "admin-sign-in", null,
            _ => Task.FromResult(string.IsNullOrEmpty(token) ? CredentialVerdict.Missing
                : admin.IsAdmin(token) ? CredentialVerdict.Valid : CredentialVerdict.Invalid),
            "A valid admin token is required.", challenge: null);
        if (refusal is not null)
        {
            if (refusal.RetryAfter is { } after)
            {
                context.Response.Headers.RetryAfter = AuthRefusal.RetryAfterSeconds(after);
                return AdminPages.SignIn(refusal.Status, "Too many failed sign-ins from this address; wait a minute and try again.");
            }

            return AdminPages.SignIn(refusal.Status, "That is not this server's admin token.");
        }

        var (id, _) = sessions.Create();
        AdminCookie.Set(context, id);
        AdminLog.SignedIn(logger, FailedAuthLimiter.PartitionKey(context));
        // 303: the browser follows with a GET, so reloading the page never posts the token again.
        context.Response.Headers.Location = "/admin";
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>The same revocation as <c>DELETE /auth/clients/{clientId}/tokens</c>.</summary>
    private static async Task<IResult> RevokeAsync(
        string clientId, HttpContext context, ClientRevocation revocation, ILogger<AdminSessions> logger, CancellationToken cancellationToken)
    {
        if (!ClientIdRules.IsValid(clientId))
        {
            return AuthProblems.BadClientId();
        }

        var disconnected = await revocation.RevokeAsync(clientId, cancellationToken);
        AdminLog.Revoked(logger, clientId, FailedAuthLimiter.PartitionKey(context), disconnected);
        return TypedResults.Ok(new AdminRevokeResponse(clientId, disconnected));
    }

    private static IResult SignOut(HttpContext context, AdminSessions sessions, ILogger<AdminSessions> logger)
    {
        sessions.End(AdminCookie.Read(context));
        AdminCookie.Clear(context);
        AdminLog.SignedOut(logger, FailedAuthLimiter.PartitionKey(context));
        return TypedResults.NoContent();
    }
}
