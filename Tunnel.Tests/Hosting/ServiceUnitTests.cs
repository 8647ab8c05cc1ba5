using System.Diagnostics;
using Tunnel.Agent.Connection;

namespace Tunnel.Tests.Hosting;

/// <summary>
/// The systemd units in <c>deploy/</c>: what they must say, and <c>systemd-analyze verify</c> accepting them (Debian's
/// <c>systemd</c> package; <c>.ci/run</c> installs it, and the test fails without it).
/// </summary>
public sealed class ServiceUnitTests
{
    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";

    private static readonly string Deploy = Path.Combine(RepositoryRoot(), "deploy");

    [Theory]
    [InlineData("tunnel-agent", "Tunnel.Agent")]
    [InlineData("tunnel-server", "Tunnel.Server")]
    public void Unit_RequiredKeys_Present(string unit, string executable)
    {
        var keys = Read(Path.Combine(Deploy, unit + ".service"));
        keys["Service:Type"].Should().Be("notify", "the host reports readiness through Microsoft.Extensions.Hosting.Systemd");
        keys["Service:ExecStart"].Should().EndWith("/" + executable);
        keys["Service:Restart"].Should().Be("always");
        keys["Service:RestartPreventExitStatus"].Split(' ').Should().Contain("2", "a configuration error does not go away by restarting");
        int.Parse(keys["Service:TimeoutStopSec"], System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(30, "the drain takes up to 30 s");
        foreach (var hardening in new[] { "NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp", "DynamicUser", "RestrictAddressFamilies", "SystemCallFilter" })
        {
            keys.Should().ContainKey("Service:" + hardening);
        }

        keys.Should().NotContainKey("Service:MemoryDenyWriteExecute", "the .NET JIT writes executable memory");
        keys["Install:WantedBy"].Should().Be("multi-user.target");
    }

    [Fact]
    public void AgentUnit_Displaced_IsNotRestarted() =>
        Read(Path.Combine(Deploy, "tunnel-agent.service"))["Service:RestartPreventExitStatus"].Split(' ')
            .Should().Contain(AgentConnectionService.DisplacedExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Units_SystemdAnalyzeVerify_AcceptsThem()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("systemd units are verified on Linux.");
        }

        File.Exists(SystemdAnalyze).Should().BeTrue($"{SystemdAnalyze} must exist (Debian: apt-get install systemd; .ci/run does)");

        // verify insists that ExecStart's program exists: point the units at stand-ins in a temp folder.
        var folder = Directory.CreateTempSubdirectory("tunnel-units-").FullName;
        var units = new List<string>();
        foreach (var (unit, executable) in new[] { ("tunnel-agent", "Tunnel.Agent"), ("tunnel-server", "Tunnel.Server") })
        {
            var program = Path.Combine(folder, executable);
            await File.WriteAllTextAsync(program, "#!/bin/sh\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var text = (await File.ReadAllTextAsync(Path.Combine(Deploy, unit + ".service")))
                .Replace($"/opt/{unit}/{executable}", program, StringComparison.Ordinal)
                .Replace($"WorkingDirectory=/opt/{unit}", "WorkingDirectory=" + folder, StringComparison.Ordinal);
            var copy = Path.Combine(folder, unit + ".service");
            await File.WriteAllTextAsync(copy, text);
            units.Add(copy);
        }

        var info = new ProcessStartInfo(SystemdAnalyze) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("verify");
        units.ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // verify exits 0 even for an unknown key or a bad value; it only prints a warning. Any output is a failure.
        process.ExitCode.Should().Be(0, output);
        output.Trim().Should().BeEmpty();
    }

    /// <summary>"Section:Key" → value; the last assignment wins, as in systemd.</summary>
    private static Dictionary<string, string> Read(string path)
    {
        var keys = new Dictionary<string, string>();
        var section = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            keys[section + ":" + line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return keys;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tunnel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Tunnel.sln not found above " + AppContext.BaseDirectory);
    }
}
