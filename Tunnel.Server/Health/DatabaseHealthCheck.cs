using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Health;

/// <summary>
/// Whether the registry database answers, within two seconds. Without it the node is degraded, not down: agents
/// already connected keep being served (503 all the same, so that a load balancer prefers a healthy node).
/// </summary>
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
                : HealthCheckResult.Degraded("The database does not answer; connected agents keep being served.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Degraded("The database does not answer; connected agents keep being served.", ex);
        }
    }
}
