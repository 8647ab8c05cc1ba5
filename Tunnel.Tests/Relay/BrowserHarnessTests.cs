using System.Text.Json;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>The headless-Chromium harness works: a page from one Kestrel app opens a WebSocket to the home stand-in.</summary>
public sealed class BrowserHarnessTests
{
    [Fact]
    public async Task Chromium_PageOpensWebSocketToHomeStandIn_GetsConnectionId()
    {
        await using var origin = await OriginApp.StartAsync();
        await using var web = await WebAppHost.StartAsync(LiveUpdatesPage.Html);
        await using var browser = await ChromiumBrowser.StartAsync();
        var page = await browser.OpenPageAsync(web.BaseAddress);

        var url = origin.WebSocketUri();
        (await page.EvaluateAsync<bool>($"live.connect({JsonSerializer.Serialize(url.ToString())})")).Should().BeTrue();
        await page.EvaluateAsync("""live.send(JSON.stringify({ type: 'GET_CONNECTION_ID' }))""");
        var messages = await page.EvaluateAsync<string[]>("live.next(2, 10000)");

        var connection = await origin.Home.Connections.WaitForAsync(_ => true, TimeSpan.FromSeconds(10));
        messages.Should().Equal(HomeMessages.ConnectionId(connection.Id), """{"type":"SESSIONS","payload":[]}""");
        connection.Upgrade.UserAgent.Should().Contain("Chrome");
        var screenshot = await page.ScreenshotAsync(nameof(Chromium_PageOpensWebSocketToHomeStandIn_GetsConnectionId));
        (await File.ReadAllBytesAsync(screenshot)).Take(8).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);

        (await page.EvaluateAsync<JsonElement>("live.close(1000)")).GetProperty("code").GetInt32().Should().Be(1000);
        (await connection.Ended).Reason.Should().Be(HomeDisconnectReason.ClientClosed);
    }

    [Fact]
    public async Task Chromium_Missing_FailsWithClearMessage()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir", "chromium");
        await FluentActions.Awaiting(() => ChromiumBrowser.StartAsync(missing))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage($"Chromium is missing at {missing}*apt-get install chromium*");
    }
}
