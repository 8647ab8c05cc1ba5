using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Runs a built project (Tunnel.Server, Tunnel.Agent) as its own process with <c>dotnet &lt;dll&gt;</c>, or a
/// published executable, the way an operator does, collecting its output. Always killed on dispose.
/// </summary>
public sealed class ProjectProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ProjectProcess(Process process) => _process = process;

    public string Output => string.Join(Environment.NewLine, _lines);

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The build output of a sibling project, in the same configuration as the tests.</summary>
    public static string DllOf(string project)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory); // Tunnel.Tests/bin/<Configuration>/net10.0/
        var configuration = testBin.Parent!.Name;
        var repo = testBin.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(repo, project, "bin", configuration, "net10.0", project + ".dll");
    }

    public static ProjectProcess Start(string project, string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        Launch("dotnet", workingDirectory, [DllOf(project), .. args], environment);

    /// <summary>Runs an executable (the Native AOT agent) the same way: output collected, killed on dispose.</summary>
    public static ProjectProcess StartExecutable(string executable, string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        Launch(executable, workingDirectory, args, environment);

    private static ProjectProcess Launch(string fileName, string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var result = new ProjectProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { result._lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { result._lines.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    public async Task<int?> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits for an output line containing <paramref name="marker"/>; returns the line, or null.</summary>
    public async Task<string?> WaitForLineAsync(string marker, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            var line = _lines.FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(50);
        }

        return _lines.FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
