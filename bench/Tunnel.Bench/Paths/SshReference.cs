using System.Diagnostics;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Paths;

/// <summary>
/// OpenSSH's reverse tunnel, the classic way to reach a home server: a throwaway sshd on a loopback port with a
/// throwaway host key and client key (all in a temp dir), and <c>ssh -N -R</c> forwarding a loopback port of the
/// "server" to the origin. The fastest cipher the machine offers (<see cref="SshCipher"/>: AES-GCM with AES-NI), no
/// compression, as a performance-minded user runs it.
/// </summary>
internal sealed class SshReference : IDisposable
{
    private readonly ChildProcess _sshd;
    private readonly ChildProcess _ssh;
    private readonly ClientSettings _client;

    private SshReference(ChildProcess sshd, ChildProcess ssh, BenchPath path, ClientSettings client, string cipherDescription)
    {
        _sshd = sshd;
        _ssh = ssh;
        _client = client;
        Path = path;
        CipherDescription = cipherDescription;
    }

    public BenchPath Path { get; }

    /// <summary>Which cipher ssh uses and why, e.g. "aes128-gcm@openssh.com (CPU has AES-NI)".</summary>
    public string CipherDescription { get; }

    /// <summary>The loopback port sshd listens on (a delay proxy goes in front of it for the WAN rows).</summary>
    public int SshdPort => _client.SshdPort;

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
            var (cipher, cipherDescription) = await SshCipher.PickAsync(ssh, cancellationToken);
            var settings = new ClientSettings(ssh, clientKey, cipher, sshdPort, originPort, dir, workDir);
            (client, var path) = await StartClientAsync(settings, sshdPort, "ssh", "ssh -R", ProcessGroup.TreeOf("sshd", daemon), cancellationToken);
            return new SshReference(daemon, client, path, settings, cipherDescription);
        }
        catch
        {
            client?.Dispose();
            daemon.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Another <c>ssh -R</c> to the same sshd and origin, connecting through <paramref name="viaPort"/> (a delay
    /// proxy in front of sshd); the caller disposes the process and the path.
    /// </summary>
    public Task<(ChildProcess Client, BenchPath Path)> StartClientViaAsync(int viaPort, string key, string name, CancellationToken cancellationToken) =>
        StartClientAsync(_client, viaPort, key, name, ProcessGroup.TreeOf("sshd", _sshd), cancellationToken);

    public void Dispose()
    {
        Path.Dispose();
        _ssh.Dispose();
        _sshd.Dispose();
    }

    private static async Task<(ChildProcess Client, BenchPath Path)> StartClientAsync(
        ClientSettings settings, int port, string key, string name, ProcessGroup serverSide, CancellationToken cancellationToken)
    {
        var forwardedPort = LoopbackPorts.Free();
        var started = Stopwatch.GetTimestamp();
        string[] cipher = settings.Cipher is null ? [] : ["-c", settings.Cipher];
        var client = ChildProcess.Start(key, settings.Ssh,
        [
            "-N", "-T", "-F", "/dev/null",
            "-o", "BatchMode=yes",
            "-o", "ExitOnForwardFailure=yes",
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR",
            .. cipher,
            "-i", settings.ClientKey,
            "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-R", $"127.0.0.1:{forwardedPort}:127.0.0.1:{settings.OriginPort}",
            "root@127.0.0.1",
        ], settings.Dir, settings.WorkDir);
        try
        {
            var path = new BenchPath
            {
                Key = key,
                Name = name,
                BaseAddress = new Uri($"http://127.0.0.1:{forwardedPort}/"),
                ServerSide = serverSide,
                HomeSide = ProcessGroup.Of("ssh", client),
            };
            path.StartToServedMs = await Served.WaitAsync(path, client, started, TimeSpan.FromSeconds(30), cancellationToken);
            return (client, path);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed record ClientSettings(string Ssh, string ClientKey, string? Cipher, int SshdPort, int OriginPort, string Dir, string WorkDir);
}
