using Tunnel.Server.Admin;
using Tunnel.Server.Auth;
using Tunnel.Server.Cluster;
using Tunnel.Server.Forwarding;
using Tunnel.Server.Health;
using Tunnel.Server.Hosting;
using Tunnel.Server.Hubs;
using Tunnel.Server.Registry;
using Tunnel.Server.Relay;
using Tunnel.Server.Telemetry;

// Request path: Forwarding/ForwardingEndpoints (enters) → Agents/ConnectedAgents (routed; else Cluster/ClusterRouter
// hops to the node holding the agent) → Forwarding/RequestForwarder
// → the agent over Hubs/TunnelHub → Forwarding/*ResponseWriter (leaves).
var builder = WebApplication.CreateBuilder(args);
builder.AddTunnelHosting()
    .AddTunnelForwardedHeaders()
    .AddTunnelCors()
    .AddRegistry()
    .AddTunnelAuth()
    .AddTunnelHub()
    .AddCluster()
    .AddForwarding()
    .AddRelay()
    .AddHealth()
    .AddTunnelTelemetry()
    .AddAdmin();

var app = builder.Build();
app.UseTunnelForwardedHeaders();
app.UseExceptionHandler();
app.UseShutdownDrain();
app.UseRequestLimits();
app.UseStatusCodePages();
app.UseCors();
app.UseRemoteRelay();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealth();
app.MapAuth();
app.MapAdmin();
app.MapTunnelHub();
app.MapForwarding();

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ConfigurationErrors.Describe(ex) is { } message)
{
    // A bad setting stops the process with the key it is about, not a stack trace.
    await Console.Error.WriteLineAsync($"Configuration error: {message}");
    return 2;
}

/// <summary>The server's entry point; public so that tests can start the real application.</summary>
public partial class Program;
