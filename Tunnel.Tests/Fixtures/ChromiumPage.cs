using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tunnel.Tests.Fixtures;

/// <summary>A tab of <see cref="ChromiumBrowser"/>: navigate, evaluate JavaScript, take screenshots, read its console.</summary>
public sealed class ChromiumPage
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(30);

    private readonly CdpConnection _cdp;
    private readonly string _sessionId;

    internal ChromiumPage(CdpConnection cdp, string targetId, string sessionId)
    {
        _cdp = cdp;
        TargetId = targetId;
        _sessionId = sessionId;
    }

    public string TargetId { get; }

    /// <summary>Loads <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(Uri url)
    {
        var loadsBefore = Loads(_cdp.Events.Snapshot());
        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        if (result.TryGetProperty("errorText", out var error))
        {
            throw new InvalidOperationException($"Chromium could not load {url}: {error.GetString()}");
        }

        await _cdp.Events.WaitUntilAsync(events => Loads(events) > loadsBefore, LoadTimeout, $"the load event of {url}");
    }

    /// <summary>
    /// Evaluates <paramref name="expression"/> in the page, awaits it if it is a promise, and returns its value as
    /// JSON (undefined → <see cref="JsonValueKind.Undefined"/>). A thrown error or rejected promise throws here.
    /// </summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["awaitPromise"] = true,
            ["returnByValue"] = true,
        });
        if (result.TryGetProperty("exceptionDetails", out var details))
        {
            var description = details.TryGetProperty("exception", out var e) && e.TryGetProperty("description", out var d)
                ? d.GetString()
                : details.GetProperty("text").GetString();
            throw new InvalidOperationException($"The page threw: {description}\nConsole: {string.Join("\n", ConsoleMessages())}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    public async Task<T?> EvaluateAsync<T>(string expression) => (await EvaluateAsync(expression)).Deserialize<T>();

    /// <summary>Saves a PNG of the page as <c>{name}.png</c> in <see cref="ChromiumBrowser.ArtifactsDirectory"/>; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        Directory.CreateDirectory(ChromiumBrowser.ArtifactsDirectory);
        var path = Path.Combine(ChromiumBrowser.ArtifactsDirectory, name + ".png");
        await File.WriteAllBytesAsync(path, result.GetProperty("data").GetBytesFromBase64());
        return path;
    }

    /// <summary>What the page logged (console.*) and the errors it threw, in order: for failure messages.</summary>
    public IReadOnlyList<string> ConsoleMessages() => [.. _cdp.Events.Snapshot()
        .Where(e => e.SessionId == _sessionId && e.Method is "Runtime.consoleAPICalled" or "Runtime.exceptionThrown")
        .Select(e => e.Method == "Runtime.exceptionThrown"
            ? "exception: " + e.Params.GetProperty("exceptionDetails").GetRawText()
            : e.Params.GetProperty("type").GetString() + ": " + string.Join(" ", e.Params.GetProperty("args").EnumerateArray()
                .Select(a => a.TryGetProperty("value", out var v) ? v.ToString() : a.GetProperty("type").GetString())))];

    internal Task<JsonElement> SendAsync(string method, JsonObject? parameters = null) => _cdp.SendAsync(method, parameters, _sessionId);

    private int Loads(IReadOnlyList<CdpEvent> events) => events.Count(e => e.Method == "Page.loadEventFired" && e.SessionId == _sessionId);
}
