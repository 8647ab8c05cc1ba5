using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Debian's nginx as a reverse proxy on 127.0.0.1 in front of a server, as on a hosted deployment: it sets
/// <c>X-Forwarded-For</c> ($proxy_add_x_forwarded_for) and <c>X-Forwarded-Proto</c>, and passes WebSocket upgrades
/// (the README's configuration, its query-less access log included). Started in the foreground with a
/// generated config in a temp folder. Fails (never skips) when nginx is not installed: <c>.ci/run</c> installs it.
/// </summary>
public sealed class NginxProxy : IDisposable
{
    public const string Executable = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _prefix;

    private NginxProxy(Process process, string prefix, Uri baseAddress)
    {
        _process = process;
        _prefix = prefix;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>nginx's access log, written with the README's <c>log_format</c> (path without the query).</summary>
    public string AccessLogPath => Path.Combine(_prefix, "access.log");

    public static async Task<NginxProxy> StartAsync(Uri upstream)
    {
        File.Exists(Executable).Should().BeTrue($"nginx must be installed at {Executable} (Debian: apt-get install nginx; .ci/run does)");
        var prefix = Directory.CreateTempSubdirectory("tunnel-nginx-").FullName;
        var port = LoopbackPort.Free();
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(prefix, port, upstream));
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-p", prefix + "/", "-c", config, "-e", Path.Combine(prefix, "error.log"), "-g", "daemon off; master_process off;" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var proxy = new NginxProxy(process, prefix, new Uri($"http://127.0.0.1:{port}"));
        var listening = await Eventually.HoldsAsync(async () =>
        {
            if (process.HasExited)
            {
                return true;
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(15));
        if (!listening || process.HasExited)
        {
            var log = File.Exists(Path.Combine(prefix, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(prefix, "error.log")) : "";
            proxy.Dispose();
            throw new InvalidOperationException($"nginx did not start listening on {port}: {log}");
        }

        return proxy;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static string Config(string prefix, int port, Uri upstream) => string.Create(CultureInfo.InvariantCulture, $$"""
        worker_processes 1;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/error.log warn;
        events {
            worker_connections 256;
        }
        http {
            # The README's: $uri has no query string, so signature= and magicToken= values never reach the log.
            log_format tunnel '$remote_addr [$time_local] "$request_method $uri $server_protocol" $status $body_bytes_sent "$http_user_agent"';
            access_log {{prefix}}/access.log tunnel;
            client_body_temp_path {{prefix}}/client_body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;
            map $http_upgrade $connection_upgrade {
                default upgrade;
                '' close;
            }
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://127.0.0.1:{{upstream.Port}};
                    proxy_http_version 1.1;
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_buffering off;
                    proxy_request_buffering off;
                    proxy_read_timeout 1h;
                }
            }
        }

        """);
}
