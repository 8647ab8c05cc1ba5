using Microsoft.AspNetCore.Http.Features;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Tunnel.Server.Auth;
using Tunnel.Server.Registry;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// The real server (<c>Program</c>) on Kestrel at 127.0.0.1. SQLite in a temp folder by default, or a MariaDB
/// database when given a MySQL connection string. Logs are captured for assertions.
/// </summary>
public sealed class TunnelServer : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789";

    private readonly WebApplicationFactory<Program> _factory;

    private readonly TestCertificates? _certificates;

    private TunnelServer(WebApplicationFactory<Program> factory, Uri baseAddress, FakeLogCollector logs, TestCertificates? certificates)
    {
        _factory = factory;
        _certificates = certificates;
        BaseAddress = baseAddress;
        Logs = logs;
    }

    public Uri BaseAddress { get; }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<TunnelServer> StartAsync(ServerSettings? settings = null)
    {
        settings ??= new ServerSettings();
        var logs = new FakeLogCollector();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("urls", $"{(settings.Https is null ? "http" : "https")}://127.0.0.1:{settings.Port}");
            foreach (var (key, value) in settings.Https?.KestrelSettings() ?? [])
            {
                b.UseSetting(key, value);
            }

            b.UseSetting("Tunnel:AdminToken", AdminToken);
            // Tests end with requests still in flight on purpose (stalled callers); do not wait 30 s for them.
            b.UseSetting("Tunnel:DrainTimeout", "00:00:01");
            b.UseSetting("Tunnel:NodeId", settings.NodeId);
            b.UseSetting("Tunnel:Database:Provider", settings.MySqlConnectionString is null ? "Sqlite" : "MySql");
            b.UseSetting("ConnectionStrings:Tunnel", settings.MySqlConnectionString ?? $"Data Source={settings.SqlitePath}");

            // Every test process talks from 127.0.0.1: a production-sized brute-force limit would make refusal tests
            // interfere with each other. Tests of the limit set their own.
            b.UseSetting("Tunnel:Auth:FailedAttemptsPerMinute", "100000");
            foreach (var (key, value) in settings.Extra)
            {
                b.UseSetting(key, value);
            }

            b.ConfigureLogging(l => l.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug));
            if (settings.ConfigureServices is { } configure)
            {
                b.ConfigureTestServices(configure);
            }
        });
        factory.UseKestrel();
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(a => new Uri(a))
            .First();
        var server = new TunnelServer(factory, new Uri($"{address.Scheme}://127.0.0.1:{address.Port}"), logs, settings.Https);
        await Task.CompletedTask;
        return server;
    }

    public HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None };
        if (_certificates is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = _certificates.Validate;
        }

        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
    }

    public async Task<string> RegisterClientAsync(string clientId)
    {
        using var http = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/auth/register-client?clientId={clientId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.Token;
    }

    /// <summary>Reads the connections table through the server's own context.</summary>
    internal async Task<List<AgentConnection>> ConnectionRowsAsync()
    {
        var factory = Services.GetRequiredService<IDbContextFactory<TunnelDbContext>>();
        await using var db = factory.CreateDbContext();
        return await db.Connections.AsNoTracking().ToListAsync();
    }

    /// <summary>The connections table, or null while the database cannot be read.</summary>
    internal async Task<List<AgentConnection>?> ConnectionRowsOrNullAsync()
    {
        try
        {
            return await ConnectionRowsAsync();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return null;
        }
    }

    internal ClientTokenStore Tokens => Services.GetRequiredService<ClientTokenStore>();

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private sealed record TokenBody(string Token);
}

public sealed class ServerSettings
{
    public string SqlitePath { get; init; } = Path.Combine(Directory.CreateTempSubdirectory("tunnel-test-").FullName, "tunnel.db");

    public string? MySqlConnectionString { get; init; }

    public string NodeId { get; init; } = "node-" + Guid.NewGuid().ToString("N")[..8];

    public int Port { get; init; }

    /// <summary>When set, Kestrel serves HTTPS (HTTP/1.1 and HTTP/2) with this server certificate.</summary>
    public TestCertificates? Https { get; init; }

    public Dictionary<string, string> Extra { get; init; } = [];

    /// <summary>Runs after the server's own registrations, e.g. to give a store a fake clock.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
