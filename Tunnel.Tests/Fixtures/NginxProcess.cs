using System.Diagnostics;
using System.Net.Sockets;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Debian's nginx in the foreground with a generated config in a temp folder, listening on a free loopback port;
/// the part every nginx fixture shares. Fails (never skips) when nginx is not installed: <c>.ci/run</c> installs it.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nginx";

    private readonly Process _process;

    private NginxProcess(Process process, string prefix, int port)
    {
        _process = process;
        Prefix = prefix;
        Port = port;
    }

    /// <summary>The temp folder holding the config, pid file and logs.</summary>
    public string Prefix { get; }

    public int Port { get; }

    /// <summary>Starts nginx with the config <paramref name="config"/> makes from the prefix folder and the port.</summary>
    public static async Task<NginxProcess> StartAsync(Func<string, int, string> config, string purpose)
    {
        File.Exists(Executable).Should().BeTrue($"{purpose} needs Debian's nginx at {Executable} (apt-get install nginx; .ci/run does)");
        var prefix = Directory.CreateTempSubdirectory("tunnel-nginx-").FullName;
        var port = LoopbackPort.Free();
        var path = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(path, config(prefix, port));
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-p", prefix + "/", "-c", path, "-e", Path.Combine(prefix, "error.log"), "-g", "daemon off;" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var nginx = new NginxProcess(Process.Start(start)!, prefix, port);
        var listening = await Eventually.HoldsAsync(async () => nginx._process.HasExited || await AcceptsAsync(port), TimeSpan.FromSeconds(15));
        if (!listening || nginx._process.HasExited)
        {
            var errorLog = Path.Combine(prefix, "error.log");
            var log = File.Exists(errorLog) ? await File.ReadAllTextAsync(errorLog) : "";
            await nginx.DisposeAsync();
            throw new InvalidOperationException($"nginx did not start listening on {port}: {log}");
        }

        return nginx;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Prefix, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
