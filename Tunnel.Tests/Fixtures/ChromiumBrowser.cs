using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Debian's headless Chromium driven over the Chrome DevTools Protocol (no downloaded browser, no package): started
/// with a new temporary profile and <c>--remote-debugging-port=0</c>, whose port it reads from DevToolsActivePort.
/// Fails (never skips) when Chromium is missing: <c>.ci/run</c> installs it.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    /// <summary>Debian's chromium; the environment variable TUNNEL_TEST_CHROMIUM may name another.</summary>
    public static readonly string ExecutablePath = Environment.GetEnvironmentVariable("TUNNEL_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _profile;
    private readonly Queue<string> _output;

    private ChromiumBrowser(Process process, string profile, Queue<string> output, CdpConnection cdp)
    {
        _process = process;
        _profile = profile;
        _output = output;
        Cdp = cdp;
    }

    /// <summary>Where screenshots go: TUNNEL_TEST_ARTIFACTS, else <c>artifacts/</c> beside the test assembly.</summary>
    public static string ArtifactsDirectory =>
        Environment.GetEnvironmentVariable("TUNNEL_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts");

    public CdpConnection Cdp { get; }

    /// <summary>Starts the browser (<paramref name="executablePath"/> defaults to <see cref="ExecutablePath"/>).</summary>
    public static async Task<ChromiumBrowser> StartAsync(string? executablePath = null)
    {
        executablePath ??= ExecutablePath;
        if (!File.Exists(executablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {executablePath}: the browser tests need Debian's chromium (apt-get install chromium; .ci/run installs it).");
        }

        var profile = Directory.CreateTempSubdirectory("tunnel-chromium-").FullName;
        var start = new ProcessStartInfo(executablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-port=0",
            $"--user-data-dir={profile}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new Queue<string>();
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var browserUri = await WaitForDevToolsAsync(process, profile, output);
            var cdp = await CdpConnection.ConnectAsync(browserUri);
            return new ChromiumBrowser(process, profile, output, cdp);
        }
        catch
        {
            Stop(process, profile);
            throw;
        }
    }

    /// <summary>A new tab showing <paramref name="url"/> once its load event fired.</summary>
    public async Task<ChromiumPage> OpenPageAsync(Uri url)
    {
        var target = await Cdp.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var targetId = target.GetProperty("targetId").GetString()!;
        var attached = await Cdp.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = targetId, ["flatten"] = true });
        var page = new ChromiumPage(Cdp, targetId, attached.GetProperty("sessionId").GetString()!);
        await page.SendAsync("Page.enable");
        await page.SendAsync("Runtime.enable");
        await page.NavigateAsync(url);
        return page;
    }

    /// <summary>The browser's last lines of output, for failure messages.</summary>
    public string Output()
    {
        lock (_output)
        {
            return string.Join("\n", _output);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cdp.SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Closing anyway below.
        }

        await Cdp.DisposeAsync();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _process.WaitForExitAsync(exited.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        Stop(_process, _profile);
    }

    private static async Task<Uri> WaitForDevToolsAsync(Process process, string profile, Queue<string> output)
    {
        // Chromium writes the port it bound (line 1) and the browser target's path (line 2) once it listens.
        var file = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Chromium exited with {process.ExitCode} during start-up:\n{Tail(output)}");
            }

            var lines = File.Exists(file) ? await File.ReadAllLinesAsync(file) : [];
            if (lines.Length >= 2 && int.TryParse(lines[0], out var port))
            {
                return new Uri($"ws://127.0.0.1:{port}{lines[1]}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Chromium did not open its DevTools port within {StartTimeout.TotalSeconds} s:\n{Tail(output)}");
    }

    private static void Keep(Queue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            if (output.Count > 50)
            {
                output.Dequeue();
            }
        }
    }

    private static string Tail(Queue<string> output)
    {
        lock (output)
        {
            return string.Join("\n", output);
        }
    }

    private static void Stop(Process process, string profile)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still hold a file for a moment; the temp dir is cleaned by the OS eventually.
        }
    }
}
