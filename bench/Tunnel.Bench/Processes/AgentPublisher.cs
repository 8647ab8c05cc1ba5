using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tunnel.Bench.Processes;

/// <summary>
/// The agent a run starts: by default Tunnel.Agent published the way it ships (Native AOT, Release, this machine's
/// RID) from the clone the bench runs in, so that the numbers are the shipped executable's and not those of the JIT
/// dll the bench's own build left; <c>--agent-exe</c> and <c>--agent-dll</c> name a build instead.
/// </summary>
internal static class AgentPublisher
{
    /// <summary>
    /// Bounds the publish: 35–60 s from scratch on a 2-core box, a few seconds when nothing changed since the last
    /// one (the output folder is kept). bench/run-quick.sh's timeout allows for it.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private const string LogName = "agent-publish";

    /// <summary>The agent <paramref name="options"/> ask for, publishing it first unless a build was given.</summary>
    public static async Task<AgentLauncher> LauncherForAsync(BenchOptions options, string logDir, Action<string> progress, CancellationToken cancellationToken)
    {
        if (options.AgentExe is { } exe)
        {
            // The RID is this machine's: the executable has to run here.
            return AgentLauncher.Native(exe, NativeAotExecutable.Is(exe)
                ? $"Native AOT {RuntimeIdentifier()} (--agent-exe)"
                : $"executable {Path.GetFileName(exe)} without Native AOT code (--agent-exe)");
        }

        if (options.AgentDll is { } dll)
        {
            return AgentLauncher.Dll(dll);
        }

        // BenchOptions.Parse refuses to go on without a clone, --agent-exe or --agent-dll.
        return await PublishAsync(options.RepoRoot!, logDir, progress, cancellationToken);
    }

    /// <summary>
    /// <c>dotnet publish Tunnel.Agent -c Release -r RID -p:PublishAot=true</c> into the bench's obj folder; throws
    /// with the end of the publish's output when it fails (its whole output is <c>agent-publish.log</c> in
    /// <paramref name="logDir"/>).
    /// </summary>
    public static async Task<AgentLauncher> PublishAsync(string repoRoot, string logDir, Action<string> progress, CancellationToken cancellationToken)
    {
        var rid = RuntimeIdentifier();
        var project = Path.Combine(repoRoot, "Tunnel.Agent", "Tunnel.Agent.csproj");
        // Kept between runs, so that a publish with nothing changed takes seconds and the work dirs of failed runs
        // (kept for their logs) do not each hold a copy; git and the bench's own build ignore obj/.
        var output = Path.Combine(repoRoot, "bench", "Tunnel.Bench", "obj", "agent-aot", rid);
        string[] arguments =
        [
            "publish", project, "-c", "Release", "-r", rid, "-p:PublishAot=true", "-o", output, "-nologo",
            // No MSBuild node or compiler server may stay behind, idle but holding memory, beside the measured processes.
            "-nodeReuse:false", "-p:UseSharedCompilation=false",
        ];
        progress($"publishing the agent (Native AOT): dotnet {string.Join(' ', arguments)}");
        var started = Stopwatch.GetTimestamp();
        // A ChildProcess, not Command.RunAsync: it is killed with the bench if the bench is stopped meanwhile.
        using var publish = ChildProcess.Start(LogName, DotnetHost.Path(), arguments, repoRoot, logDir);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        int exitCode;
        try
        {
            exitCode = await publish.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"publishing the agent (Native AOT) did not finish within {Timeout.TotalSeconds:0} s; its output ends:\n{publish.Tail()}");
        }

        var executable = Path.Combine(output, "Tunnel.Agent");
        if (exitCode != 0 || !File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"publishing the agent (Native AOT) failed (exit code {exitCode}; whole output in {Path.Combine(logDir, LogName + ".log")}); its output ends:\n" +
                $"{publish.Tail()}\n(--agent-dll PATH runs a JIT build of the agent instead)");
        }

        progress($"agent published in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s: {executable}");
        return AgentLauncher.Native(executable, $"Native AOT {rid}");
    }

    /// <summary>
    /// This machine's portable RID (linux-x64, linux-arm64, linux-musl-x64...): the runtime's own when it is portable,
    /// else built from the process architecture (a distribution's own .NET build reports e.g. ubuntu.24.04-x64).
    /// </summary>
    private static string RuntimeIdentifier()
    {
        var own = RuntimeInformation.RuntimeIdentifier;
        return own.StartsWith("linux-", StringComparison.Ordinal)
            ? own
            : "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }
}
