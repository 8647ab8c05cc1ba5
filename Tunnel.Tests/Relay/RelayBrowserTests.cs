using System.Text.Json;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>
/// The relay driven by a real browser as MoosicBox's web app drives it: a page on another origin opens
/// <c>new WebSocket('ws://tunnel/ws?moosicboxProfile=…&amp;clientId=…&amp;signature=…')</c> and talks to its home.
/// </summary>
public sealed class RelayBrowserTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Chromium_WebAppSocketThroughTheTunnel_TalksToItsHome()
    {
        await using var stack = await TunnelStack.StartAsync();
        var watch = new LogWatch(stack);
        var signature = await RelayApi.SignatureAsync(stack);
        await using var web = await WebAppHost.StartAsync(LiveUpdatesPage.Html);
        await using var browser = await ChromiumBrowser.StartAsync();
        var page = await browser.OpenPageAsync(web.BaseAddress);

        // A wrong signature: the upgrade is refused (the page only sees the socket close before it opened).
        var refused = RelayApi.Url(stack.Server, RelayApi.Query(stack.ClientId, "wrong-signature-of-plausible-length"));
        var refusedOpen = async () => await page.EvaluateAsync($"live.connect({JsonSerializer.Serialize(refused.ToString())})");
        await refusedOpen.Should().ThrowAsync<Exception>();
        stack.Origin.Home.Upgrades.Count.Should().Be(0, "a refused app never reaches the home");

        var url = RelayApi.Url(stack.Server, RelayApi.Query(stack.ClientId, signature));
        (await page.EvaluateAsync<bool>($"live.connect({JsonSerializer.Serialize(url.ToString())})")).Should().BeTrue();
        await page.EvaluateAsync("""live.send(JSON.stringify({ type: 'GET_CONNECTION_ID' }))""");
        var first = await page.EvaluateAsync<string[]>("live.next(2, 10000)");

        var home = await stack.Origin.Home.Connections.WaitForAsync(_ => true, Within);
        first.Should().Equal(HomeMessages.ConnectionId(home.Id), """{"type":"SESSIONS","payload":[]}""");
        home.Upgrade.UserAgent.Should().Be("MOOSICBOX_TUNNEL", "the home sees the tunnel, not the browser");
        home.Upgrade.QueryString.Should().Be("?moosicboxProfile=master");

        // The home's broadcast reaches the browser.
        await stack.Origin.Home.BroadcastTextAsync("""{"type":"SCAN_EVENT","payload":{"done":1}}""");
        (await page.EvaluateAsync<string[]>("live.next(3, 10000)"))![2].Should().Be("""{"type":"SCAN_EVENT","payload":{"done":1}}""");
        await page.ScreenshotAsync(nameof(Chromium_WebAppSocketThroughTheTunnel_TalksToItsHome));

        // The page closes; the home's socket closes with it.
        (await page.EvaluateAsync<JsonElement>("live.close(1000)")).GetProperty("code").GetInt32().Should().Be(1000);
        (await home.Ended.WaitAsync(Within)).Reason.Should().Be(HomeDisconnectReason.ClientClosed);
        watch.ShouldHaveNoErrors();
    }
}
