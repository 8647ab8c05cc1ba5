using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tunnel.Agent.Links;
using Tunnel.Server.Auth;
using Tunnel.Server.Registry;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>
/// Device links (issue 9): <c>Tunnel.Agent link</c> gets a one-time login link for its client from the server and
/// prints the web app's URL and a QR code; the server answers <c>GET /auth/magic-token</c> for it with a new client
/// access token, without the home server.
/// </summary>
public sealed class DeviceLinkTests
{
    private const string AppUrl = "https://music.example.com/auth";

    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LinkCommand_EndToEnd_PhoneLogsInOnceAndRevocationEndsIt()
    {
        await using var stack = await TunnelStack.StartAsync(clientId: "linked-home");
        var folder = Directory.CreateTempSubdirectory("tunnel-link-").FullName;

        // 1. The operator runs the command beside the agent, with the agent's settings.
        await using var command = ProjectProcess.Start("Tunnel.Agent", folder, ["link"], new Dictionary<string, string>
        {
            ["Agent__ServerUrl"] = stack.Server.BaseAddress.ToString(),
            ["Agent__ClientId"] = stack.ClientId,
            ["Agent__AccessToken"] = stack.Token,
            ["Agent__OriginUrl"] = stack.Origin.BaseAddress.ToString(),
            ["Agent__Link__AppUrl"] = AppUrl,
        });
        (await command.WaitForExitAsync(ProcessLimit)).Should().Be(0, command.Output);
        var url = command.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(AppUrl, StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        query.AllKeys.Should().Equal("magicToken", "apiUrl");
        query["apiUrl"].Should().Be(stack.Server.BaseAddress.AbsoluteUri.TrimEnd('/'));
        var magic = query["magicToken"]!;
        command.Output.Should().Contain(Normalize(DeviceLinkCommand.QrCode(url)), "the QR code encodes exactly the printed URL");
        command.Output.Should().NotContain(stack.Token, "the agent's own token is never printed");

        // Only a hash is stored, and not the plain SHA-256 of M (that would read as a home-registered token).
        var factory = stack.Server.Services.GetRequiredService<IDbContextFactory<TunnelDbContext>>();
        await using (var db = factory.CreateDbContext())
        {
            var row = await db.MagicTokens.AsNoTracking().SingleAsync(t => t.ClientId == stack.ClientId);
            row.MagicTokenHash.Should().MatchRegex("^[0-9a-f]{64}$").And.NotBe(TokenHasher.Hash(magic));
        }

        // 2. The web app, given the link, exchanges M, as routes/auth.tsx does; the home server is not asked.
        using var app = stack.Server.CreateClient();
        var originRequests = stack.Origin.Requests;
        using var login = await app.GetAsync($"/auth/magic-token?magicToken={Uri.EscapeDataString(magic)}");
        login.StatusCode.Should().Be(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        var answer = await login.Content.ReadFromJsonAsync<JsonElement>();
        answer.EnumerateObject().Select(p => p.Name).Should().Equal("clientId", "accessToken");
        answer.GetProperty("clientId").GetString().Should().Be(stack.ClientId);
        var accessToken = answer.GetProperty("accessToken").GetString()!;
        accessToken.Should().NotBe(stack.Token);
        stack.Origin.Requests.Should().Be(originRequests, "the server answers a device link itself");

        // 3. The new token works as the web app sends it: bare, on the API.
        using (var served = await AuthApi.SendAsync(stack.Server, HttpMethod.Get, stack.Url("/json"), accessToken))
        {
            served.StatusCode.Should().Be(HttpStatusCode.OK);
            (await served.Content.ReadAsStringAsync()).Should().Be("""{"hello":"world","items":[1,2,3]}""");
        }

        // 4. Once only.
        using (var again = await app.GetAsync($"/auth/magic-token?magicToken={Uri.EscapeDataString(magic)}"))
        {
            await again.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        }

        // 5. Revoking the client ends the phone's token like any other.
        await AuthApi.RevokeClientAsync(stack.Server, stack.ClientId);
        using var revoked = await AuthApi.SendAsync(stack.Server, HttpMethod.Get, stack.Url("/json"), accessToken);
        await revoked.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LinkCommand_WithoutAppUrl_StopsNamingTheKey()
    {
        var folder = Directory.CreateTempSubdirectory("tunnel-link-").FullName;
        await using var command = ProjectProcess.Start("Tunnel.Agent", folder, ["link"], new Dictionary<string, string>
        {
            ["Agent__ServerUrl"] = "http://127.0.0.1:1",
            ["Agent__ClientId"] = "home",
            ["Agent__AccessToken"] = "token-0123456789abcdef",
            ["Agent__OriginUrl"] = "http://127.0.0.1:2",
        });
        (await command.WaitForExitAsync(ProcessLimit)).Should().Be(2, command.Output);
        command.Output.Should().Contain("Configuration error").And.Contain("Agent:Link:AppUrl");
    }

    [Fact]
    public async Task LinkCommand_WrongToken_FailsAndPrintsNoLink()
    {
        await using var server = await TunnelServer.StartAsync();
        var (exit, output, error) = await RunInProcessAsync(server, "someone", "wrong-token-0123456789abcdef");
        exit.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Contain("401");
    }

    [Fact]
    public async Task DeviceLink_AfterLifetime_Returns401()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TunnelServer.StartAsync(new ServerSettings { ConfigureServices = TokenStoreClock.Use(clock) });
        var token = await server.RegisterClientAsync("expiring");
        var (exit, output, _) = await RunInProcessAsync(server, "expiring", token);
        exit.Should().Be(0);
        var magic = System.Web.HttpUtility.ParseQueryString(new Uri(output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(AppUrl, StringComparison.Ordinal))).Query)["magicToken"]!;

        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var response = await server.CreateClient().GetAsync($"/auth/magic-token?magicToken={Uri.EscapeDataString(magic)}");
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DeviceLinkRoute_OtherClientsToken_Returns401()
    {
        await using var server = await TunnelServer.StartAsync();
        var other = await server.RegisterClientAsync("other");
        await server.RegisterClientAsync("victim");
        using var response = await AuthApi.SendAsync(server, HttpMethod.Post, "/auth/device-link?clientId=victim", other);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("https://music.example.com/auth", "https://tunnel.example.com/", "https://music.example.com/auth?magicToken=M-1_x&apiUrl=https%3A%2F%2Ftunnel.example.com")]
    [InlineData("https://music.example.com/auth?theme=dark", "https://tunnel.example.com/base/", "https://music.example.com/auth?theme=dark&magicToken=M-1_x&apiUrl=https%3A%2F%2Ftunnel.example.com%2Fbase")]
    public void LinkUrl_AppUrlAndServer_GiveTheWebAppsUrl(string appUrl, string apiUrl, string expected) =>
        DeviceLinkCommand.LinkUrl(new Uri(appUrl), new Uri(apiUrl), "M-1_x").Should().Be(expected);

    /// <summary>The command in this process, with the same registration as <c>Tunnel.Agent link</c>.</summary>
    private static async Task<(int Exit, string Output, string Error)> RunInProcessAsync(TunnelServer server, string clientId, string token)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:ServerUrl"] = server.BaseAddress.ToString(),
            ["Agent:ClientId"] = clientId,
            ["Agent:AccessToken"] = token,
            ["Agent:OriginUrl"] = "http://127.0.0.1:2",
            ["Agent:Link:AppUrl"] = AppUrl,
        });
        builder.AddDeviceLinkCommand();
        using var host = builder.Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exit = await host.RunDeviceLinkCommandAsync(output, error, timeout.Token);
        return (exit, output.ToString(), error.ToString());
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
}
