using System.Globalization;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Debian's nginx as a reverse proxy on 127.0.0.1 in front of a server, as on a hosted deployment: it sets
/// <c>X-Forwarded-For</c> ($proxy_add_x_forwarded_for) and <c>X-Forwarded-Proto</c>, and passes WebSocket upgrades
/// (the README's configuration, its query-less access log included). Started in the foreground with a
/// generated config in a temp folder. Fails (never skips) when nginx is not installed: <c>.ci/run</c> installs it.
/// </summary>
public sealed class NginxProxy : IDisposable
{
    private readonly NginxProcess _nginx;

    private NginxProxy(NginxProcess nginx)
    {
        _nginx = nginx;
        BaseAddress = new Uri($"http://127.0.0.1:{nginx.Port}");
    }

    public Uri BaseAddress { get; }

    /// <summary>nginx's access log, written with the README's <c>log_format</c> (path without the query).</summary>
    public string AccessLogPath => Path.Combine(_nginx.Prefix, "access.log");

    public static async Task<NginxProxy> StartAsync(Uri upstream) =>
        new(await NginxProcess.StartAsync((prefix, port) => Config(prefix, port, upstream), "a reverse proxy in front of the server"));

    public void Dispose() => _nginx.DisposeAsync().AsTask().GetAwaiter().GetResult();

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
