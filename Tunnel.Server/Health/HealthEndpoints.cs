using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tunnel.Server.Agents;

namespace Tunnel.Server.Health;

internal static class HealthEndpoints
{
    private static readonly string Version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealthAsync);
        return app;
    }

    private static async Task<JsonHttpResult<HealthResponse>> GetHealthAsync(
        HealthCheckService health, ConnectedAgents agents, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var healthy = report.Status == HealthStatus.Healthy;
        var hash = Version.Contains('+', StringComparison.Ordinal) ? Version[(Version.IndexOf('+', StringComparison.Ordinal) + 1)..] : Version;
        var body = new HealthResponse(
            healthy,
            hash,
            report.Status.ToString(),
            Version,
            report.Entries.TryGetValue("database", out var db) ? db.Status.ToString() : "Unknown",
            agents.Count);
        return TypedResults.Json(body, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
