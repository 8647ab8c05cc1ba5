using System.Globalization;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Origin;

/// <summary>
/// The origin as most home servers serve files: Debian's nginx serving static files from disk (sendfile, one
/// worker). It serves the same URLs as <see cref="OriginServer"/> with the same bytes — <c>/file/{bytes}</c> files of
/// <see cref="TestPattern"/> written into a temp dir at start, and <c>/json</c> — so every check still applies.
/// </summary>
internal sealed class NginxFileOrigin : IDisposable
{
    private readonly ChildProcess _nginx;

    private NginxFileOrigin(ChildProcess nginx, int port)
    {
        _nginx = nginx;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Workers = ProcessGroup.ChildrenOf("origin nginx", nginx);
    }

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public ProcessGroup Workers { get; }

    /// <summary>Starts nginx serving the files; <paramref name="webSocketBackend"/> is the origin whose <c>/ws</c> nginx
    /// proxies, so that every path, WebSockets included, goes through the same origin.</summary>
    public static async Task<NginxFileOrigin> StartAsync(IEnumerable<long> fileSizes, Uri webSocketBackend, string workDir, CancellationToken cancellationToken)
    {
        var nginx = Command.Find("nginx", "/usr/sbin/nginx")
            ?? throw new InvalidOperationException("nginx is not installed (Debian: apt-get install nginx).");
        var prefix = Path.Combine(workDir, "origin-nginx");
        var root = Path.Combine(prefix, "www");
        Directory.CreateDirectory(Path.Combine(root, "file"));
        await File.WriteAllBytesAsync(Path.Combine(root, "json"), OriginServer.Json, cancellationToken);
        foreach (var size in fileSizes.Distinct())
        {
            await WritePatternFileAsync(Path.Combine(root, "file", size.ToString(CultureInfo.InvariantCulture)), size, cancellationToken);
        }

        var port = LoopbackPorts.Free();
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(prefix, root, port, webSocketBackend), cancellationToken);
        var child = ChildProcess.Start(
            "origin-nginx", nginx, ["-p", prefix + "/", "-c", config, "-e", Path.Combine(prefix, "error.log"), "-g", "daemon off;"],
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

        return new NginxFileOrigin(child, port);
    }

    public void Dispose() => _nginx.Dispose();

    private static async Task WritePatternFileAsync(string path, long size, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20, useAsync: true);
        for (long offset = 0; offset < size;)
        {
            var n = (int)Math.Min(TestPattern.MaxSlice, size - offset);
            await file.WriteAsync(TestPattern.Slice(offset, n), cancellationToken);
            offset += n;
        }
    }

    // "user root": as root (CI) the worker would otherwise drop to nobody, who cannot read the private temp dir; as
    // anyone else nginx ignores it with a warning.
    private static string Config(string prefix, string root, int port, Uri webSocketBackend) => string.Create(CultureInfo.InvariantCulture, $$"""
        user root;
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
            sendfile on;
            tcp_nopush on;
            server {
                listen 127.0.0.1:{{port}};
                root {{root}};
                location = /json {
                    default_type application/json;
                }
                location /file/ {
                    default_type application/octet-stream;
                }
                location = /ws {
                    proxy_pass http://{{webSocketBackend.Authority}};
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection "upgrade";
                    proxy_read_timeout 1h;
                }
            }
        }

        """);
}
