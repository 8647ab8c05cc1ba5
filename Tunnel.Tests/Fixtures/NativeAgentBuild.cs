using System.Diagnostics;
using System.Runtime.InteropServices;
using Tunnel.Tests.Structure;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Tunnel.Agent published the way it ships (issue 13): <c>dotnet publish -c Release -r linux-&lt;arch&gt;</c>, Native
/// AOT from the project file, once per test class, into Tunnel.Tests/obj/native-agent. 35–60 s from scratch on two
/// cores, seconds when the agent is unchanged; the publish's own output is kept for the failure message.
/// </summary>
public sealed class NativeAgentBuild : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>The native executable.</summary>
    public string Executable { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var rid = "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var output = Path.Combine(SourceTree.RepoRoot, "Tunnel.Tests", "obj", "native-agent", rid);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = SourceTree.RepoRoot,
        };
        foreach (var arg in new[] { "publish", Path.Combine(SourceTree.RepoRoot, "Tunnel.Agent", "Tunnel.Agent.csproj"), "-c", "Release", "-r", rid, "-o", output, "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false" })
        {
            info.ArgumentList.Add(arg);
        }

        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await publish.WaitForExitAsync(timeout.Token);
        Executable = Path.Combine(output, "Tunnel.Agent");
        if (publish.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException($"dotnet publish Tunnel.Agent (Native AOT) failed, exit code {publish.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
