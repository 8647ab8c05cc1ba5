using System.Globalization;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Debian's nginx as the load balancer in front of several server nodes: round robin, no stickiness, WebSockets
/// passed through, bodies streamed both ways. Missing nginx fails the test (CI installs it in <c>.ci/run</c>).
/// </summary>
public sealed class NginxBalancer : IAsyncDisposable
{
    private readonly NginxProcess _nginx;

    private NginxBalancer(NginxProcess nginx)
    {
        _nginx = nginx;
        BaseAddress = new Uri($"http://127.0.0.1:{nginx.Port}");
    }

    public Uri BaseAddress { get; }

    public static async Task<NginxBalancer> StartAsync(IEnumerable<int> nodePorts) =>
        new(await NginxProcess.StartAsync((prefix, port) => Config(prefix, port, nodePorts), "the cluster tests"));

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

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();
}
