using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Chrome DevTools Protocol over one WebSocket to the browser, in flat session mode: commands carry an id and,
/// for a page, its session id; answers come back by id; events are recorded for waits.
/// </summary>
public sealed class CdpConnection : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private long _nextId;

    private CdpConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Events (method, session id, params), in arrival order.</summary>
    public RecordedEvents<CdpEvent> Events { get; } = new();

    public static async Task<CdpConnection> ConnectAsync(Uri browserUri)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await socket.ConnectAsync(browserUri, timeout.Token);
        return new CdpConnection(socket);
    }

    /// <summary>Runs <paramref name="method"/> and returns its result, or throws with the protocol's error.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null, string? sessionId = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        if (sessionId is not null)
        {
            command["sessionId"] = sessionId;
        }

        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, true, _closing.Token);
        }
        finally
        {
            _sendLock.Release();
        }

        try
        {
            return await answer.Task.WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Chromium did not answer {method} within {CommandTimeout.TotalSeconds} s.");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _closing.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    Dispatch(JsonSerializer.Deserialize<JsonElement>(message.ToArray()));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The browser went away or we are closing; pending commands fail below.
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new InvalidOperationException("The connection to Chromium closed."));
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out var idElement))
        {
            if (_pending.TryGetValue(idElement.GetInt64(), out var answer))
            {
                if (message.TryGetProperty("error", out var error))
                {
                    answer.TrySetException(new InvalidOperationException($"Chromium refused the command: {error.GetRawText()}"));
                }
                else
                {
                    answer.TrySetResult(message.TryGetProperty("result", out var result) ? result : default);
                }
            }

            return;
        }

        Events.Add(new CdpEvent(
            message.GetProperty("method").GetString()!,
            message.TryGetProperty("sessionId", out var session) ? session.GetString() : null,
            message.TryGetProperty("params", out var parameters) ? parameters : default));
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        await _receiving;
        _socket.Dispose();
        _closing.Dispose();
        _sendLock.Dispose();
    }
}
