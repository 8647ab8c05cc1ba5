using Microsoft.AspNetCore.Http.Features;

namespace Tunnel.Server.Hosting;

/// <summary>
/// The request-line and header limits, enforced here rather than by Kestrel so that an oversized request gets a
/// problem body that says which limit it hit. Kestrel's own limits sit at four times these values (see
/// <see cref="HostingServiceCollectionExtensions"/>) and only catch the absurd, with a bare status.
/// </summary>
internal static class RequestLimitsMiddleware
{
    /// <summary>Longest request target (path and query): 8 KiB, Kestrel's usual request-line limit.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>Largest total of header names and values: 32 KiB, Kestrel's usual limit.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
            if (target.Length > MaxTargetLength)
            {
                await Refuse(context, StatusCodes.Status414UriTooLong, "Request target too long",
                    $"Path and query may be at most {MaxTargetLength} characters.");
                return;
            }

            long headerBytes = 0;
            foreach (var (name, values) in context.Request.Headers)
            {
                foreach (var value in values)
                {
                    headerBytes += name.Length + (value?.Length ?? 0);
                }
            }

            if (headerBytes > MaxHeaderBytes)
            {
                await Refuse(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                    $"Request headers may total at most {MaxHeaderBytes} bytes.");
                return;
            }

            await next(context);
        });

    private static Task Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.Headers.Connection = "close";
        return TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}
