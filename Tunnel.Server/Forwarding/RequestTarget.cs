using Microsoft.AspNetCore.Http.Features;

namespace Tunnel.Server.Forwarding;

/// <summary>The path and query to send to the origin, exactly as the caller wrote them.</summary>
internal static class RequestTarget
{
    public static string Of(HttpContext context)
    {
        // The raw target keeps escapes and unicode as received. Absolute-form and asterisk-form targets are
        // rebuilt from the parsed path so that the agent always gets an origin-relative path.
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is { Length: > 0 } && raw[0] == '/')
        {
            return raw;
        }

        var request = context.Request;
        return (request.PathBase + request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
    }
}
