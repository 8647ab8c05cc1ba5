namespace Tunnel.Agent;

/// <summary>The agent's entry point: a worker host running the tunnel agent.</summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddTunnelAgent();
        await builder.Build().RunAsync();
    }
}
