using System.Globalization;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Paths;

/// <summary>
/// One proxy hop: Debian's nginx reverse-proxying to the origin, unbuffered (proxy_buffering off, 64 KiB buffer),
/// HTTP/1.1 keep-alive to the origin, one worker, started in the foreground with a generated config in a temp dir.
/// </summary>
internal sealed class NginxReference : IDisposable
{
    private readonly ChildProcess _nginx;

    private NginxReference(ChildProcess nginx, BenchPath path)
    {
        _nginx = nginx;
        Path = path;
    }

    public BenchPath Path { get; }

    public static async Task<NginxReference> StartAsync(int originPort, string workDir, CancellationToken cancellationToken)
    {
        var nginx = Command.Find("nginx", "/usr/sbin/nginx")
            ?? throw new InvalidOperationException("nginx is not installed (Debian: apt-get install nginx).");
        var prefix = System.IO.Path.Combine(workDir, "nginx");
        Directory.CreateDirectory(prefix);
        var port = LoopbackPorts.Free();
        var config = System.IO.Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(prefix, port, originPort), cancellationToken);

        var child = ChildProcess.Start(
            "nginx", nginx, ["-p", prefix + "/", "-c", config, "-e", System.IO.Path.Combine(prefix, "error.log"), "-g", "daemon off;"],
            prefix, workDir);
        try
        {
            await LoopbackPorts.WaitListeningAsync(port, child, TimeSpan.FromSeconds(15), cancellationToken);
        }
        catch
        {
            child.Dispose();
            throw;
        }

        var path = new BenchPath
        {
            Key = "nginx",
            Name = "nginx (1 hop)",
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            ServerSide = ProcessGroup.ChildrenOf("nginx worker", child),
        };
        return new NginxReference(child, path);
    }

    public void Dispose()
    {
        Path.Dispose();
        _nginx.Dispose();
    }

    private static string Config(string prefix, int port, int originPort) => string.Create(CultureInfo.InvariantCulture, $$"""
        worker_processes 1;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/error.log warn;
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
            keepalive_requests 1000000;
            upstream origin {
                server 127.0.0.1:{{originPort}};
                keepalive 128;
                keepalive_requests 1000000;
            }
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://origin;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_buffering off;
                    proxy_buffer_size 64k;
                    proxy_buffers 8 64k;
                    proxy_busy_buffers_size 128k;
                    proxy_read_timeout 120s;
                }
            }
        }

        """);
}
