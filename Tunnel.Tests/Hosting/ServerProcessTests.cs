using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Hosting;

/// <summary>The server and agent as operators run them: separate processes, configured by arguments.</summary>
public sealed class ServerProcessTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Server_FreshFolderNoConfig_StartsOnSqliteAndAnswersHealth()
    {
        var folder = Directory.CreateTempSubdirectory("tunnel-fresh-").FullName;
        await using var server = ProjectProcess.Start("Tunnel.Server", folder, ["--urls", "http://127.0.0.1:0"]);
        var line = await server.WaitForLineAsync("Now listening on:", StartLimit);
        line.Should().NotBeNull(server.Output);
        var url = new Uri(line![(line.IndexOf("http", StringComparison.Ordinal))..].Trim());

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync("/health");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("healthy").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("status").GetString().Should().Be("Healthy");
        json.RootElement.GetProperty("database").GetString().Should().Be("Healthy");
        json.RootElement.GetProperty("version").GetString().Should().NotBeNullOrEmpty();
        File.Exists(Path.Combine(folder, "tunnel.db")).Should().BeTrue("the embedded SQLite registry is created and migrated at start");
    }

    [Theory]
    [InlineData("--Tunnel:Database:Provider=Oracle", "Tunnel:Database:Provider")]
    [InlineData("--Tunnel:AdminToken=short", "Tunnel:AdminToken")]
    [InlineData("--Tunnel:Forwarding:BufferedResponseMaxBytes=0", "Tunnel:Forwarding:BufferedResponseMaxBytes")]
    [InlineData("--Tunnel:Forwarding:ResponseHeadersTimeout=soon", "Tunnel:Forwarding:ResponseHeadersTimeout")]
    [InlineData("--Tunnel:Database:Provider=MySql", "ConnectionStrings:Tunnel")]
    [InlineData("--Tunnel:ForwardedHeaders:KnownProxies=nginx.local", "Tunnel:ForwardedHeaders:KnownProxies")]
    [InlineData("--Tunnel:ForwardedHeaders:KnownNetworks=10.0.0.0", "Tunnel:ForwardedHeaders:KnownNetworks")]
    [InlineData("--Tunnel:Telemetry:MetricsUrl=ftp://127.0.0.1:9464", "Tunnel:Telemetry:MetricsUrl")]
    [InlineData("--Tunnel:Relay:MaxRelaysPerClient=0", "Tunnel:Relay:MaxRelaysPerClient")]
    public async Task Server_BadSetting_StopsNamingTheKey(string argument, string key)
    {
        var folder = Directory.CreateTempSubdirectory("tunnel-bad-").FullName;
        var args = new List<string> { "--urls", "http://127.0.0.1:0", argument };
        if (key == "ConnectionStrings:Tunnel")
        {
            args.Add("--ConnectionStrings:Tunnel=");
        }

        await using var server = ProjectProcess.Start("Tunnel.Server", folder, args);
        var exit = await server.WaitForExitAsync(StartLimit);
        exit.Should().NotBeNull("a bad setting must stop the process").And.NotBe(0);
        server.Output.Should().Contain("Configuration error").And.Contain(key);
        server.Output.Should().NotContain("Hosting failed to start").And.NotContain("   at ", "the clean line is all the operator sees");
    }

    [Fact]
    public async Task Server_PortTakenBySameNode_SecondExitsCleanlyAndFirstKeepsItsRows()
    {
        await using var origin = await OriginApp.StartAsync();
        var folder = Directory.CreateTempSubdirectory("tunnel-taken-").FullName;
        var database = Path.Combine(folder, "tunnel.db");
        var port = LoopbackPort.Free();
        string[] args =
        [
            "--urls", $"http://127.0.0.1:{port}",
            $"--Tunnel:AdminToken={TunnelServer.AdminToken}",
            "--Tunnel:NodeId=node-taken",
            $"--ConnectionStrings:Tunnel=Data Source={database}",
        ];
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await using var first = ProjectProcess.Start("Tunnel.Server", folder, args);
        (await first.WaitForLineAsync("Now listening on:", StartLimit)).Should().NotBeNull(first.Output);
        var token = await AdminClient.RegisterAsync(baseAddress, "home-taken");
        await using var agent = await AgentHost.StartAsync(baseAddress, "home-taken", token, origin.BaseAddress);
        (await Eventually.HoldsAsync(async () => await RowsOfAsync(database, "home-taken") == 1, TimeSpan.FromSeconds(15)))
            .Should().BeTrue(first.Output);

        await using var second = ProjectProcess.Start("Tunnel.Server", folder, args);
        var exit = await second.WaitForExitAsync(StartLimit);

        exit.Should().Be(2, second.Output);
        second.Output.Should().Contain("address already in use").And.Contain($"127.0.0.1:{port}");
        second.Output.Should().NotContain("Unhandled exception").And.NotContain("   at ", "a taken port is one clean line");
        (await RowsOfAsync(database, "home-taken")).Should().Be(1, "the failed start must not remove the live server's rows");
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync("/json?clientId=home-taken");
        response.StatusCode.Should().Be(HttpStatusCode.OK, first.Output);
    }

    private static async Task<long> RowsOfAsync(string database, string clientId)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM connections WHERE client_id = $id";
        command.Parameters.AddWithValue("$id", clientId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData("Agent:ServerUrl")]
    [InlineData("Agent:ClientId")]
    [InlineData("Agent:AccessToken")]
    [InlineData("Agent:OriginUrl")]
    public async Task Agent_MissingSetting_StopsNamingTheKey(string missing)
    {
        var settings = new Dictionary<string, string>
        {
            ["Agent:ServerUrl"] = "http://127.0.0.1:1",
            ["Agent:ClientId"] = "home",
            ["Agent:AccessToken"] = "token",
            ["Agent:OriginUrl"] = "http://127.0.0.1:2",
        };
        settings.Remove(missing);
        var folder = Directory.CreateTempSubdirectory("tunnel-agent-").FullName;
        // Environment variables in the documented __ form, as a service manager would set them.
        var environment = settings.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value);
        await using var agent = ProjectProcess.Start("Tunnel.Agent", folder, [], environment);
        var exit = await agent.WaitForExitAsync(StartLimit);
        exit.Should().Be(2, agent.Output);
        agent.Output.Should().Contain("Configuration error").And.Contain(missing);
    }
}
