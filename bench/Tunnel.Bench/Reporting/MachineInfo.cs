using System.Runtime.InteropServices;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Reporting;

/// <summary>Where the numbers came from: the machine and the versions of everything measured.</summary>
internal sealed record MachineInfo(
    int Cores,
    double MemoryGiB,
    string Cpu,
    string Os,
    string Runtime,
    string Nginx,
    string Ssh,
    string GitCommit)
{
    public static async Task<MachineInfo> ReadAsync(string? repoRoot, CancellationToken cancellationToken)
    {
        var os = File.Exists("/etc/os-release")
            ? (await File.ReadAllLinesAsync("/etc/os-release", cancellationToken)).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            : null;
        var git = "unknown";
        if (repoRoot is not null)
        {
            try
            {
                var (code, output) = await Command.RunAsync("git", ["-C", repoRoot, "rev-parse", "--short", "HEAD"], TimeSpan.FromSeconds(10), cancellationToken);
                git = code == 0 ? output.Trim() : git;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
            {
                // Not a git checkout.
            }
        }

        var nginx = Command.Find("nginx", "/usr/sbin/nginx");
        return new MachineInfo(
            Environment.ProcessorCount,
            Math.Round(ProcFs.MemTotalBytes() / (double)(1L << 30), 1),
            ProcFs.CpuModel(),
            os ?? RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            nginx is null ? "not installed" : await Command.VersionAsync(nginx, "-v", cancellationToken),
            await Command.VersionAsync("ssh", "-V", cancellationToken),
            git);
    }
}
