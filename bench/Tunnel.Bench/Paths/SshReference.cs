using System.Diagnostics;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Paths;

/// <summary>
/// OpenSSH's reverse tunnel, the classic way to reach a home server: a throwaway sshd on a loopback port with a
/// throwaway host key and client key (all in a temp dir), and <c>ssh -N -R</c> forwarding a loopback port of the
/// "server" to the origin. Default ciphers and no compression, as people run it.
/// </summary>
internal sealed class SshReference : IDisposable
{
    private readonly ChildProcess _sshd;
    private readonly ChildProcess _ssh;

    private SshReference(ChildProcess sshd, ChildProcess ssh, BenchPath path)
    {
        _sshd = sshd;
        _ssh = ssh;
        Path = path;
    }

    public BenchPath Path { get; }

    public static async Task<SshReference> StartAsync(int originPort, string workDir, CancellationToken cancellationToken)
    {
        const string sshd = "/usr/sbin/sshd";
        if (!File.Exists(sshd))
        {
            throw new InvalidOperationException("/usr/sbin/sshd is not installed (Debian: apt-get install openssh-server).");
        }

        var ssh = Command.Find("ssh", "/usr/bin/ssh") ?? throw new InvalidOperationException("ssh is not installed (Debian: openssh-client).");
        var keygen = Command.Find("ssh-keygen", "/usr/bin/ssh-keygen") ?? throw new InvalidOperationException("ssh-keygen is not installed.");
        var dir = System.IO.Path.Combine(workDir, "ssh");
        Directory.CreateDirectory(dir);
        var hostKey = System.IO.Path.Combine(dir, "host_ed25519");
        var clientKey = System.IO.Path.Combine(dir, "client_ed25519");
        foreach (var key in new[] { hostKey, clientKey })
        {
            var (code, output) = await Command.RunAsync(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "tunnel-bench", "-f", key], TimeSpan.FromSeconds(30), cancellationToken);
            if (code != 0)
            {
                throw new InvalidOperationException($"ssh-keygen failed: {output}");
            }
        }

        var authorizedKeys = System.IO.Path.Combine(dir, "authorized_keys");
        File.Copy(clientKey + ".pub", authorizedKeys, overwrite: true);

        // sshd refuses to start without its privilege separation directory, which only the service unit creates.
        if (!Directory.Exists("/run/sshd"))
        {
            Directory.CreateDirectory("/run/sshd", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var sshdPort = LoopbackPorts.Free();
        var config = System.IO.Path.Combine(dir, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {sshdPort}
            ListenAddress 127.0.0.1
            HostKey {hostKey}
            AuthorizedKeysFile {authorizedKeys}
            PidFile {dir}/sshd.pid
            UsePAM no
            StrictModes no
            PermitRootLogin yes
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            AllowTcpForwarding yes
            GatewayPorts no
            X11Forwarding no
            PrintMotd no
            LogLevel ERROR

            """, cancellationToken);

        var daemon = ChildProcess.Start("sshd", sshd, ["-D", "-e", "-f", config], dir, workDir);
        ChildProcess? client = null;
        try
        {
            await LoopbackPorts.WaitListeningAsync(sshdPort, daemon, TimeSpan.FromSeconds(15), cancellationToken);
            var forwardedPort = LoopbackPorts.Free();
            var started = Stopwatch.GetTimestamp();
            client = ChildProcess.Start("ssh", ssh,
            [
                "-N", "-T", "-F", "/dev/null",
                "-o", "BatchMode=yes",
                "-o", "ExitOnForwardFailure=yes",
                "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR",
                "-i", clientKey,
                "-p", sshdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-R", $"127.0.0.1:{forwardedPort}:127.0.0.1:{originPort}",
                "root@127.0.0.1",
            ], dir, workDir);

            var path = new BenchPath
            {
                Key = "ssh",
                Name = "ssh -R",
                BaseAddress = new Uri($"http://127.0.0.1:{forwardedPort}/"),
                ServerSide = ProcessGroup.TreeOf("sshd", daemon),
                HomeSide = ProcessGroup.Of("ssh", client),
            };
            path.StartToServedMs = await Served.WaitAsync(path, client, started, TimeSpan.FromSeconds(30), cancellationToken);
            return new SshReference(daemon, client, path);
        }
        catch
        {
            client?.Dispose();
            daemon.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Path.Dispose();
        _ssh.Dispose();
        _sshd.Dispose();
    }
}
