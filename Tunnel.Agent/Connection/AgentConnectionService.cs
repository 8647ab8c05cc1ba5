using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Tunnel.Agent.HubProtocol;
using Tunnel.Agent.Relay;
using Tunnel.Agent.Requests;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Agent.Connection;

/// <summary>
/// Owns the agent's SignalR connections (<c>Agent:Connections</c>, default 2, issue 12): each connects and reconnects
/// forever with capped exponential backoff and jitter (also when the server is down at start); all stop for good only
/// when the host stops or another agent displaced this one. When reloaded settings change how it connects (server, client, token, TLS trust) or
/// disable it, it drains as on SIGTERM (new requests refused, running ones finish) and leaves the connection, then
/// connects with the new settings, or waits until <c>Agent:Enabled</c> is true again.
/// </summary>
internal sealed class AgentConnectionService(
    AgentSettings settings,
    TunnelHubClient hubClient,
    ServerCertificateTrust certificateTrust,
    AgentCommands commands,
    ActiveRequests active,
    LocalRelays relays,
    IHostApplicationLifetime lifetime,
    ILogger<AgentConnectionService> logger) : BackgroundService
{
    /// <summary>Exit code when the agent stopped because another agent took over its client.</summary>
    public const int DisplacedExitCode = 3;

    /// <summary>Mirrors the server: it pings every 5 s; 15 s of silence means the link is dead.</summary>
    private static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(5);

    private volatile bool _stopping;

    /// <summary>Sent at connect on every connection: they belong to one agent and never displace each other.</summary>
    private readonly string _instance = Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        active.Ended += hubClient.Forget;
        relays.Ended += hubClient.Forget;
        while (!stoppingToken.IsCancellationRequested && !commands.DisplacedReason.IsCompleted)
        {
            var changed = settings.Changed;
            var o = settings.Current;
            if (!o.Enabled)
            {
                AgentLog.Disabled(logger);
                await Task.WhenAny(changed, commands.DisplacedReason, Task.Delay(Timeout.Infinite, stoppingToken));
                continue;
            }

            if (_stopping)
            {
                break;
            }

            active.Resume();
            relays.Resume();
            // Agent:Connections links, each connecting and reconnecting on its own (issue 12).
            await Task.WhenAll(Enumerable.Range(0, o.Connections).Select(_ => Task.Run(() => RunConnectionAsync(o, stoppingToken), CancellationToken.None)));
        }

        if (commands.DisplacedReason.IsCompleted)
        {
            AgentLog.Displaced(logger, await commands.DisplacedReason);
            Environment.ExitCode = DisplacedExitCode;
            lifetime.StopApplication();
        }
    }

    /// <summary>
    /// One connection with settings <paramref name="o"/>, until the host stops, another agent displaces this one, or
    /// new settings need another connection (then it drains and leaves it cleanly).
    /// </summary>
    private async Task RunConnectionAsync(AgentOptions o, CancellationToken stoppingToken)
    {
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var reconfigured = WaitForNewConnectionSettingsAsync(o, leave);
        var backoff = new ReconnectBackoff(o.ReconnectMaxDelay);
        var leaving = false;
        await using var connection = Build(o, backoff);
        hubClient.Attach(connection);

        var closed = new SemaphoreSlim(0);
        connection.Closed += ex =>
        {
            CancelRequestsOn(connection);
            if (!leaving)
            {
                AgentLog.ConnectionLost(logger, ex?.Message ?? "closed");
            }

            closed.Release();
            return Task.CompletedTask;
        };
        connection.Reconnecting += ex =>
        {
            CancelRequestsOn(connection);
            AgentLog.ConnectionLost(logger, ex?.Message);
            return Task.CompletedTask;
        };
        connection.Reconnected += _ =>
        {
            AgentLog.Reconnected(logger);
            return Task.CompletedTask;
        };

        var attempt = 0L;
        while (!leave.IsCancellationRequested && !commands.DisplacedReason.IsCompleted)
        {
            try
            {
                await connection.StartAsync(leave.Token);
                attempt = 0;
                AgentLog.Connected(logger, o.ServerUrl!, o.ClientId!);
                // Automatic reconnect handles most losses; Closed fires when the server refused reconnection.
                await Task.WhenAny(closed.WaitAsync(leave.Token), commands.DisplacedReason);
            }
            catch (OperationCanceledException) when (leave.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (TokenRefusedException.In(ex))
            {
                // Retrying fast cannot help and every try counts against the home's address (shared with its apps'
                // failed-auth limit): wait the longest delay, and say what to do. A fixed token applies at once (reload).
                var delay = backoff.Delay(int.MaxValue);
                AgentLog.TokenRefused(logger, o.ServerUrl!, o.ClientId!, delay);
                await Task.WhenAny(Task.Delay(delay, leave.Token), commands.DisplacedReason);
                continue;
            }
            catch (Exception ex)
            {
                var delay = backoff.Delay(attempt++);
                AgentLog.ConnectFailed(logger, o.ServerUrl!, Reason(ex), delay);
                await Task.WhenAny(Task.Delay(delay, leave.Token), commands.DisplacedReason);
                continue;
            }

            if (commands.DisplacedReason.IsCompleted)
            {
                break;
            }

            await Task.Delay(backoff.Delay(attempt++), leave.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (reconfigured is { IsCompletedSuccessfully: true, Result: true } && !stoppingToken.IsCancellationRequested && !_stopping)
        {
            var next = settings.Current;
            var drainTimeout = next.DrainTimeout;
            AgentLog.Reconfiguring(logger, next.Enabled ? "new connection settings" : "Agent:Enabled is false", active.Count, drainTimeout);
            await DrainAsync(drainTimeout, stoppingToken);
        }

        leaving = true;
        await leave.CancelAsync();
        await connection.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// True (after cancelling <paramref name="leave"/>) once the settings disable the agent or connect differently;
    /// false when the connection is left for another reason.
    /// </summary>
    private async Task<bool> WaitForNewConnectionSettingsAsync(AgentOptions o, CancellationTokenSource leave)
    {
        var left = Task.Delay(Timeout.Infinite, leave.Token);
        while (!leave.IsCancellationRequested)
        {
            var changed = settings.Changed;
            var now = settings.Current;
            if (!now.Enabled || !AgentSettings.SameConnection(o, now))
            {
                await leave.CancelAsync();
                return true;
            }

            await Task.WhenAny(changed, left);
        }

        return false;
    }

    /// <summary>Refuses new requests and relays; running requests get up to <paramref name="timeout"/> to finish.</summary>
    private async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        active.StartDraining();
        relays.Drain();
        var deadline = Task.Delay(timeout, cancellationToken);
        while (active.Count > 0 && !deadline.IsCompleted)
        {
            await Task.WhenAny(Task.Delay(50, CancellationToken.None), deadline);
        }

        // A response stream counts as done once its last chunk was sent; its completion message follows. Without it
        // the server would abort a body it holds whole (up to a window) for a slow caller.
        if (hubClient.IsConnected)
        {
            try
            {
                await hubClient.Flush().WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                AgentLog.FlushFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>A lost connection ends only its own requests and relays; the other connections keep serving theirs.</summary>
    private void CancelRequestsOn(HubConnection connection)
    {
        var dropped = hubClient.Drop(connection);
        foreach (var requestId in dropped)
        {
            active.Cancel(requestId);
        }

        relays.ConnectionLost(dropped);
    }

    /// <summary>Drains before the connection goes: running requests finish, new ones are refused.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await DrainAsync(settings.Current.DrainTimeout, cancellationToken);
        await base.StopAsync(cancellationToken);
    }

    /// <summary>"Unable to connect to the remote server" plus the cause, e.g. an untrusted TLS certificate.</summary>
    private static string Reason(Exception ex) =>
        (ex.GetBaseException() is { } cause && cause != ex ? $"{ex.Message} ({cause.Message})" : ex.Message).TrimEnd('.');

    /// <summary>The transport's socket: SignalR's own set-up (token header, buffers), sending whole frames.</summary>
    private async ValueTask<System.Net.WebSockets.WebSocket> ConnectWebSocketAsync(AgentOptions o, WebSocketConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + o.AccessToken);
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // SignalR pings on its own.
        socket.Options.CollectHttpResponseDetails = true;
        certificateTrust.Apply(socket.Options, o.TrustedCertificatePath);
        try
        {
            await socket.ConnectAsync(context.Uri, cancellationToken);
            return new CoalescingWebSocket(socket);
        }
        catch (Exception ex) when (socket.HttpStatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            socket.Dispose();
            throw new TokenRefusedException(ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private HubConnection Build(AgentOptions o, ReconnectBackoff backoff)
    {
        var url = new Uri(o.ServerUrl!, $"{HubPaths.Tunnel}?{HubPaths.ClientIdParameter}={Uri.EscapeDataString(o.ClientId!)}&{HubPaths.SenderParameter}=true&{HubPaths.InstanceParameter}={_instance}");
        var connection = new HubConnectionBuilder()
            .WithUrl(url, HttpTransportType.WebSockets, c =>
            {
                c.SkipNegotiation = true;
                c.AccessTokenProvider = () => Task.FromResult(o.AccessToken);
                c.WebSocketFactory = (context, cancellationToken) => ConnectWebSocketAsync(o, context, cancellationToken);
                c.ApplicationMaxBufferSize = TunnelProtocol.MaxMessageSize;
                c.TransportMaxBufferSize = TunnelProtocol.MaxMessageSize;
            })
            .AddTunnelMessagePackProtocol()
            .WithAutomaticReconnect(backoff)
            .WithServerTimeout(ServerTimeout)
            .WithKeepAliveInterval(KeepAliveInterval)
            .Build();

        connection.On<ForwardRequest>(nameof(ITunnelAgent.Forward), request =>
        {
            hubClient.Route(request.RequestId, connection);
            return commands.Forward(request);
        });
        connection.On<Guid, int>(nameof(ITunnelAgent.Grant), commands.Grant);
        connection.On<Guid>(nameof(ITunnelAgent.Cancel), commands.Cancel);
        connection.On<string>(nameof(ITunnelAgent.Displaced), commands.Displaced);
        connection.On<RelayOpen>(nameof(ITunnelAgent.OpenRelay), open =>
        {
            hubClient.Route(open.RelayId, connection);
            return commands.OpenRelay(open);
        });
        connection.On<Guid, RelayFrame>(nameof(ITunnelAgent.RelayToHome), commands.RelayToHome);
        connection.On<Guid, int>(nameof(ITunnelAgent.CloseRelay), commands.CloseRelay);
        return connection;
    }
}
