using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A stand-in of the MoosicBox home server's local <c>/ws</c> (moosicbox-clients.md (b), "The home side's local
/// WebSocket API"): profile check (400 before the upgrade), a random u64 id per socket, GET_CONNECTION_ID →
/// CONNECTION_ID + SESSIONS to the sender, CREATE/DELETE_SESSION → SESSIONS to all, UPDATE_SESSION and SET_SEEK to all
/// but the sender, REGISTER_* and every close → CONNECTIONS to all, PING → nothing; pings every
/// <see cref="HomeWebSocketSettings.PingInterval"/> and drops a socket that does not pong; closes a socket that sends
/// a message over 64 KiB. Test additions: ECHO (the text back verbatim), binary echoed as binary, SEND_BLOB
/// (<c>{"payload":{"size":N}}</c> → a BLOB of N bytes to the sender). It records what it saw for tests to wait on.
/// </summary>
public sealed class HomeWebSocketEndpoint(HomeWebSocketSettings settings, CancellationToken stopping)
{
    private readonly ConcurrentDictionary<ulong, HomeConnection> _open = new();
    private readonly HomeSessions _sessions = new();

    public HomeWebSocketSettings Settings { get; } = settings;

    /// <summary>Every request to <c>/ws</c>, refused or upgraded, in order.</summary>
    public RecordedEvents<HomeUpgrade> Upgrades { get; } = new();

    /// <summary>Every socket the home accepted, in order.</summary>
    public RecordedEvents<HomeConnection> Connections { get; } = new();

    /// <summary>Every socket that ended, in order.</summary>
    public RecordedEvents<HomeDisconnect> Disconnects { get; } = new();

    /// <summary>While true, upgrade requests get no answer at all (for the relay's timeout); they stay recorded with status 0.</summary>
    public bool HoldUpgrades { get; set; }

    public IReadOnlyCollection<HomeConnection> Open => [.. _open.Values];

    public HomeConnection Connection(ulong id) =>
        _open.TryGetValue(id, out var c) ? c : Connections.Snapshot().Single(c => c.Id == id);

    /// <summary>Sends <paramref name="text"/> to every open socket (but <paramref name="except"/>); returns how many got it.</summary>
    public Task<int> BroadcastTextAsync(string text, ulong? except = null) =>
        BroadcastAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, except);

    public async Task<int> BroadcastAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, ulong? except = null)
    {
        var sent = await Task.WhenAll(_open.Values.Where(c => c.Id != except).Select(c => c.TrySendAsync(data, type)));
        return sent.Count(s => s);
    }

    /// <summary>The home closes every socket with 1001, as when it shuts down.</summary>
    public Task CloseAllAsync() => Task.WhenAll(_open.Values.Select(c =>
        c.CloseFromHomeAsync(WebSocketCloseStatus.EndpointUnavailable, "home stopping", HomeDisconnectReason.HomeStopping)));

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var profileHeader = request.Headers["moosicbox-profile"].FirstOrDefault();
        var profile = profileHeader ?? QueryValue(request.QueryString.Value, "moosicboxProfile");
        var authorization = request.Headers.Authorization.FirstOrDefault() ?? QueryValue(request.QueryString.Value, "authorization");
        var status = RefusalStatus(profile, authorization, context.WebSockets.IsWebSocketRequest);
        HomeUpgrade Seen(int s) => new(s, profile, profileHeader, request.Headers.UserAgent.FirstOrDefault(),
            request.QueryString.Value ?? "", authorization, context.WebSockets.IsWebSocketRequest)
        {
            Headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
        };
        if (status != 0)
        {
            Upgrades.Add(Seen(status));
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status == 401 ? "Unauthorized" : "Invalid profile", context.RequestAborted);
            return;
        }

        if (HoldUpgrades)
        {
            Upgrades.Add(Seen(0));
            using var bothGone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            await Task.Delay(Timeout.Infinite, bothGone.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = Settings.PingInterval,
            KeepAliveTimeout = Settings.PongTimeout,
        });
        var upgrade = Seen(101);
        Upgrades.Add(upgrade);
        var connection = new HomeConnection(NewId(), upgrade, socket, context);
        _open[connection.Id] = connection;
        Connections.Add(connection);
        using var onStop = stopping.Register(() => _ = connection.CloseFromHomeAsync(
            WebSocketCloseStatus.EndpointUnavailable, "home stopping", HomeDisconnectReason.HomeStopping));
        var ended = await ReceiveLoopAsync(connection, socket);
        _open.TryRemove(connection.Id, out _);
        connection.SetEnded(ended);
        Disconnects.Add(ended);
        await BroadcastTextAsync(HomeMessages.Connections(_open.Keys));
    }

    private int RefusalStatus(string? profile, string? authorization, bool isWebSocket)
    {
        if (Settings.StaticToken is { } token && authorization?.Replace("Bearer ", "", StringComparison.OrdinalIgnoreCase) != token)
        {
            return 401;
        }

        return profile is null || !Settings.KnownProfiles.Contains(profile) || !isWebSocket ? 400 : 0;
    }

    private async Task<HomeDisconnect> ReceiveLoopAsync(HomeConnection connection, WebSocket socket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), connection.ReceiveAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await connection.CloseFromHomeAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, HomeDisconnectReason.ClientClosed);
                    return new(connection.Id, connection.HomeReason ?? HomeDisconnectReason.ClientClosed, socket.CloseStatus, socket.CloseStatusDescription);
                }

                message.Write(buffer.AsSpan(0, result.Count));
                if (message.WrittenCount > Settings.MaxMessageSize)
                {
                    await connection.CloseFromHomeAsync(WebSocketCloseStatus.MessageTooBig, "message too big", HomeDisconnectReason.MessageTooBig);
                    return new(connection.Id, HomeDisconnectReason.MessageTooBig, null, null);
                }

                if (result.EndOfMessage)
                {
                    var received = new HomeMessage(result.MessageType, message.WrittenSpan.ToArray());
                    message.ResetWrittenCount();
                    connection.Received.Add(received);
                    await AnswerAsync(connection, received);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            var error = Describe(e);
            if (connection.HomeReason is null && !IsKeepAliveTimeout(e))
            {
                // A keep-alive timeout aborts the pending receive with a bare ConnectionAbortedException; the socket
                // keeps the timeout as its fault and the next receive throws it.
                try
                {
                    await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                }
                catch (Exception next)
                {
                    error += " then " + Describe(next);
                }
            }

            var reason = connection.HomeReason ?? (IsKeepAliveTimeout(error) ? HomeDisconnectReason.KeepAliveTimeout : HomeDisconnectReason.ConnectionLost);
            return new(connection.Id, reason, socket.CloseStatus, socket.CloseStatusDescription, error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A query parameter by its exact name: the home's query extractor (serde) is case-sensitive.</summary>
    private static string? QueryValue(string? query, string name)
    {
        foreach (var pair in (query ?? "").TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair.AsSpan(0, equals).SequenceEqual(name))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }

    private static string Describe(Exception e) =>
        e.InnerException is null ? $"{e.GetType().Name}: {e.Message}" : $"{e.GetType().Name}: {e.Message} ({Describe(e.InnerException)})";

    private static bool IsKeepAliveTimeout(Exception e) => IsKeepAliveTimeout(Describe(e));

    private static bool IsKeepAliveTimeout(string error) =>
        error.Contains("KeepAliveTimeout", StringComparison.Ordinal) || error.Contains("Pong", StringComparison.Ordinal);

    private async Task AnswerAsync(HomeConnection connection, HomeMessage message)
    {
        if (message.Type == WebSocketMessageType.Binary)
        {
            await connection.TrySendAsync(message.Data, WebSocketMessageType.Binary);
            return;
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(message.Text.Trim());
        }
        catch (JsonException)
        {
            return; // The home logs the parse error and keeps the socket; the message stays recorded.
        }

        using (json)
        {
            var root = json.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) ? t.GetString() : null;
            JsonElement? payload = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payload", out var p) ? p : null;
            await AnswerAsync(connection, type, payload, message);
        }
    }

    private async Task AnswerAsync(HomeConnection connection, string? type, JsonElement? payload, HomeMessage message)
    {
        switch (type)
        {
            case "GET_CONNECTION_ID":
                await connection.TrySendAsync(Encoding.UTF8.GetBytes(HomeMessages.ConnectionId(connection.Id)), WebSocketMessageType.Text);
                await connection.TrySendAsync(Encoding.UTF8.GetBytes(_sessions.Message()), WebSocketMessageType.Text);
                break;
            case "GET_SESSIONS":
                await connection.TrySendAsync(Encoding.UTF8.GetBytes(_sessions.Message()), WebSocketMessageType.Text);
                break;
            case "CREATE_SESSION":
                _sessions.Add(payload);
                await BroadcastTextAsync(_sessions.Message());
                break;
            case "DELETE_SESSION":
                _sessions.Remove(payload);
                await BroadcastTextAsync(_sessions.Message());
                break;
            case "UPDATE_SESSION":
                await BroadcastTextAsync(HomeMessages.WithPayload("SESSION_UPDATED", payload), except: connection.Id);
                break;
            case "SET_SEEK":
                await BroadcastTextAsync(HomeMessages.WithPayload("SET_SEEK", payload), except: connection.Id);
                break;
            case "REGISTER_CONNECTION" or "REGISTER_PLAYERS":
                await BroadcastTextAsync(HomeMessages.Connections(_open.Keys));
                break;
            case "ECHO":
                await connection.TrySendAsync(message.Data, WebSocketMessageType.Text);
                break;
            case "SEND_BLOB" when payload?.TryGetProperty("size", out var size) == true && size.TryGetInt32(out var bytes):
                await connection.TrySendAsync(Encoding.UTF8.GetBytes(HomeMessages.Blob(bytes)), WebSocketMessageType.Text);
                break;
            default:
                break; // PING and anything unknown: no answer.
        }
    }

    private static ulong NewId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
