using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Admin;

/// <summary>The admin page in headless Chromium, against the real server with real agents.</summary>
public sealed class AdminPageTests
{
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AdminPage_SignInWatchRevoke_InChromium()
    {
        await using var stack = await TunnelStack.StartAsync();
        await using var browser = await ChromiumBrowser.StartAsync();
        var page = await browser.OpenPageAsync(new Uri(stack.Server.BaseAddress, "/admin"));
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = 1280, ["height"] = 360, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        });

        // Wrong token: refused with 401, the form again, no cookie.
        (await page.EvaluateAsync<bool>("!!document.querySelector('form#sign-in')")).Should().BeTrue();
        await SubmitSignInAsync(page, "wrong-admin-token-0000000000");
        await WaitForAsync(page, "!!document.getElementById('error')", "the sign-in error");
        (await page.EvaluateAsync<int>("performance.getEntriesByType('navigation')[0].responseStatus")).Should().Be(401);
        (await page.EvaluateAsync<string>("document.getElementById('error').textContent")).Should().Contain("not this server's admin token");

        // Right token: the dashboard with the connected agent; the cookie is out of the page's reach (HttpOnly).
        await SubmitSignInAsync(page, TunnelServer.AdminToken);
        await WaitForAsync(page, $"!!document.querySelector('tr[data-client=\"{stack.ClientId}\"]')", "the agent's row");

        // A second home server connects while the page is open: its row appears live (and revoking one later leaves it).
        var studioToken = await stack.Server.RegisterClientAsync("studio-2");
        await using var studio = await AgentHost.StartAsync(stack.Server.BaseAddress, "studio-2", studioToken, stack.Origin.BaseAddress);
        await WaitForAsync(page, "!!document.querySelector('tr[data-client=\"studio-2\"]')", "the new agent's row");
        (await page.EvaluateAsync<string>("document.cookie")).Should().BeEmpty();
        (await page.EvaluateAsync<string>("location.href")).Should().NotContain("token");
        var before = await CountersAsync(page, stack.ClientId);

        // Traffic through the tunnel moves the row's counters: 3 MiB down, 1 MiB up, and a failure.
        using var client = stack.CreateClient();
        var download = await client.GetByteArrayAsync(new Uri(stack.Url("/files/3145728"), UriKind.Relative));
        download.Length.Should().Be(3 * 1024 * 1024);
        var upload = RandomNumberGenerator.GetBytes(1024 * 1024);
        using (var uploaded = await client.PostAsync(new Uri(stack.Url("/upload"), UriKind.Relative), new ByteArrayContent(upload)))
        {
            var body = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement;
            body.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(upload)));
        }

        using (var broken = await client.GetAsync(new Uri(stack.Url("/truncate/1000000/300000"), UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            await FluentActions.Awaiting(() => broken.Content.ReadAsByteArrayAsync()).Should().ThrowAsync<HttpRequestException>();
        }

        var row = $"tr[data-client=\"{stack.ClientId}\"]";
        await WaitForAsync(page,
            $"(() => {{ const v = f => Number(document.querySelector('{row} td[data-field=\"' + f + '\"]').dataset.value);"
            + $" return v('bytesFromAgent') >= {before.FromAgent + download.Length} && v('bytesToAgent') >= {before.ToAgent + upload.Length}"
            + $" && v('requests') >= {before.Requests + 3} && document.querySelector('{row} td[data-field=\"lastError\"]').dataset.value !== ''; }})()",
            "the counters to move");
        var after = await CountersAsync(page, stack.ClientId);
        after.FromAgent.Should().BeGreaterThanOrEqualTo(before.FromAgent + download.Length);
        after.ToAgent.Should().Be(before.ToAgent + upload.Length);
        after.LastError.Should().Be("BodyIncomplete");
        (await page.EvaluateAsync<string>("document.getElementById('total-agents').textContent")).Should().Be("2");
        (await page.EvaluateAsync<string>("document.getElementById('live').textContent")).Should().Be("live");

        var screenshot = await page.ScreenshotAsync("admin-page");
        (await File.ReadAllBytesAsync(screenshot)).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');

        // Revoke from the page (two clicks: arm, confirm): the agent is disconnected and its row goes; the other stays.
        await page.EvaluateAsync($"document.querySelector('{row} button').click()");
        (await page.EvaluateAsync<string>($"document.querySelector('{row} button').textContent")).Should().Be("Confirm revoke");
        await page.EvaluateAsync($"document.querySelector('{row} button').click()");
        (await Eventually.HoldsAsync(() => !stack.IsAgentConnected, PageWait)).Should().BeTrue("revoking from the page disconnects the agent");
        await WaitForAsync(page, $"!document.querySelector('{row}') && !!document.querySelector('tr[data-client=\"studio-2\"]')", "the revoked row to go");
        (await page.EvaluateAsync<string>("document.getElementById('message').textContent")).Should().Contain("Revoked " + stack.ClientId);
        using var refused = await client.GetAsync(new Uri(stack.Url("/json"), UriKind.Relative));
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the client's tokens are deleted");
        page.ConsoleMessages().Should().NotContain(m => m.StartsWith("exception", StringComparison.Ordinal));
    }

    private static Task SubmitSignInAsync(ChromiumPage page, string token) =>
        page.EvaluateAsync($"document.getElementById('token').value = {JsonSerializer.Serialize(token)}; document.getElementById('sign-in').requestSubmit(); true");

    private static async Task<(long FromAgent, long ToAgent, long Requests, string LastError)> CountersAsync(ChromiumPage page, string clientId)
    {
        var values = await page.EvaluateAsync<Dictionary<string, string>>(
            $"Object.fromEntries([...document.querySelectorAll('tr[data-client=\"{clientId}\"] td[data-field]')].map(td => [td.dataset.field, td.dataset.value ?? td.textContent]))");
        return (long.Parse(values!["bytesFromAgent"]), long.Parse(values["bytesToAgent"]), long.Parse(values["requests"]), values["lastError"]);
    }

    /// <summary>Polls <paramref name="condition"/> in the page (navigations in between are expected) until it holds.</summary>
    private static async Task WaitForAsync(ChromiumPage page, string condition, string what)
    {
        var holds = await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return await page.EvaluateAsync<bool>(condition);
            }
            catch (InvalidOperationException)
            {
                // The page is between documents, or not yet drawn.
                return false;
            }
        }, PageWait);
        holds.Should().BeTrue($"the page should show {what} within {PageWait.TotalSeconds} s; console: {string.Join("\n", page.ConsoleMessages())}");
    }
}
