using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Health;

/// <summary>Whether the registry database answers, within two seconds.</summary>
internal sealed class DatabaseHealthCheck(AgentRegistry registry) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            return await registry.CanConnectAsync(bounded.Token)
                ? HealthCheckResult.Healthy("The database answers.")
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
