namespace Tunnel.Server.Admin;

/// <summary>
/// The admin session cookie: a random session id only (never the admin token), HttpOnly (no script can read it),
/// SameSite=Strict (no other site's page can make the browser send it), Secure whenever the request came over HTTPS,
/// and scoped to <c>/admin</c>.
/// </summary>
internal static class AdminCookie
{
    public const string Name = "tunnel_admin";

    public const string Path = "/admin";

    public static string? Read(HttpContext context) => context.Request.Cookies[Name];

    public static void Set(HttpContext context, string sessionId) =>
        context.Response.Cookies.Append(Name, sessionId, Options(context, AdminSessions.Lifetime));

    public static void Clear(HttpContext context) =>
        context.Response.Cookies.Delete(Name, Options(context, null));

    private static CookieOptions Options(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = Path,
        MaxAge = maxAge,
        IsEssential = true,
    };
}
