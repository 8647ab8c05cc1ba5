namespace Tunnel.Server.Admin;

/// <summary>
/// Headers on every admin answer: a content security policy that allows only this server's own script, styles and
/// connections (no inline script, so injected markup cannot run), no framing (clickjacking on the revoke button), no
/// referrer, no caching of pages that hold the anti-forgery token.
/// </summary>
internal sealed class AdminResponseHeaders : IEndpointFilter
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return next(context);
    }
}
