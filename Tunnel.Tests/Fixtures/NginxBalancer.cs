using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Debian's nginx as the load balancer in front of several server nodes: round robin, no stickiness, WebSockets
/// passed through, bodies streamed both ways. Missing nginx fails the test (CI installs it in <c>.ci/run</c>).
/// </summary>
public sealed class NginxBalancer : IAsyncDisposable
{
    private const string NginxPath = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _prefix;

    private NginxBalancer(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    public static async Task<NginxBalancer> StartAsync(IEnumerable<int> nodePorts)
    {
        File.Exists(NginxPath).Should().BeTrue($"the cluster tests put Debian's nginx ({NginxPath}) in front of the nodes: apt-get install nginx");
        var prefix = Directory.CreateTempSubdirectory("tunnel-nginx-").FullName;
        var port = LoopbackPort.Free();
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(prefix, port, nodePorts));
        var info = new ProcessStartInfo(NginxPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-p", prefix + "/", "-c", config, "-e", Path.Combine(prefix, "error.log"), "-g", "daemon off;" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var balancer = new NginxBalancer(process, prefix, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await AcceptsAsync(port))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = File.Exists(Path.Combine(prefix, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(prefix, "error.log")) : "";
                await balancer.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start: {await process.StandardError.ReadToEndAsync()} {log}");
            }

            await Task.Delay(50);
        }

        return balancer;
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

    // max_fails=1 fail_timeout=2s: a dead node is skipped after its first refused connection and retried every 2 s,
    // so that a restarted one gets traffic again. A refused connection sent nothing, so any request may go to the
    // next node (non_idempotent).
    private static string Config(string prefix, int port, IEnumerable<int> nodePorts) => string.Create(CultureInfo.InvariantCulture, $$"""
        worker_processes 1;
        pid {{prefix}}/nginx.pid;
        events {
            worker_connections 4096;
        }
        http {
            access_log off;
            client_body_temp_path {{prefix}}/client_body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;
            map $http_upgrade $connection_upgrade {
                default upgrade;
                '' '';
            }
            upstream nodes {
                {{string.Join("\n            ", nodePorts.Select(p => $"server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;"))}}
                keepalive 64;
            }
            server {
                listen 127.0.0.1:{{port}};
                client_max_body_size 0;
                location / {
                    proxy_pass http://nodes;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_buffering off;
                    proxy_request_buffering off;
                    proxy_read_timeout 120s;
                    proxy_send_timeout 120s;
                    proxy_connect_timeout 2s;
                    proxy_next_upstream error timeout non_idempotent;
                    proxy_next_upstream_tries 3;
                }
            }
        }

        """);

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
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
