using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Tunnel.Agent;

namespace Tunnel.Tests.Fixtures;

/// <summary>The real agent (the same registration as Tunnel.Agent's Program) in this process.</summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly IHost _host;

    private AgentHost(IHost host, FakeLogCollector logs)
    {
        _host = host;
        Logs = logs;
    }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<AgentHost> StartAsync(Uri server, string clientId, string token, Uri origin, Dictionary<string, string?>? extra = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        var settings = new Dictionary<string, string?>
        {
            ["Agent:ServerUrl"] = server.ToString(),
            ["Agent:ClientId"] = clientId,
            ["Agent:AccessToken"] = token,
            ["Agent:OriginUrl"] = origin.ToString(),
            ["Agent:ReconnectMaxDelay"] = "00:00:01",
            // One connection unless a test asks for more (the cluster tests do): the single-node tests count
            // sessions and rows of one connection.
            ["Agent:Connections"] = "1",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new FakeLogCollector();
        builder.Logging.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug);
        builder.AddTunnelAgent();
        var host = builder.Build();
        await host.StartAsync();
        return new AgentHost(host, logs);
    }

    /// <summary>
    /// The real agent reading its settings from a JSON file it watches (<c>reloadOnChange</c>, as the default host
    /// reads appsettings.json), so that a test changes them the way a user does: by saving the file.
    /// </summary>
    public static async Task<AgentHost> StartWithSettingsFileAsync(string path)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Configuration.AddJsonFile(path, optional: false, reloadOnChange: true);
        var logs = new FakeLogCollector();
        builder.Logging.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug);
        builder.AddTunnelAgent();
        var host = builder.Build();
        await host.StartAsync();
        return new AgentHost(host, logs);
    }

    public async Task StopAsync() => await _host.StopAsync(TimeSpan.FromSeconds(5));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(5));
        _host.Dispose();
    }
}
