using Microsoft.Net.Http.Headers;

namespace Tunnel.Server.Hosting;

internal static class ShutdownDrainMiddleware
{
    /// <summary>While the server drains, every new request gets 503 and a closed connection, so clients move on.</summary>
    public static IApplicationBuilder UseShutdownDrain(this IApplicationBuilder app)
    {
        var drain = app.ApplicationServices.GetRequiredService<ShutdownDrain>();
        return app.Use(async (context, next) =>
        {
            if (!drain.IsDraining)
            {
                await next(context);
                return;
            }

            context.Response.Headers[HeaderNames.Connection] = "close";
            context.Response.Headers.RetryAfter = "5";
            await TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Shutting down",
                detail: "This tunnel node is shutting down; retry shortly.").ExecuteAsync(context);
        });
    }
}
