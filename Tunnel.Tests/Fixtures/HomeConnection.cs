using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// One socket of the stand-in home's <c>/ws</c>: what it received, how it ended, and the home's side of it for the
/// test to drive (send, close, drop).
/// </summary>
public sealed class HomeConnection
{
    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<HomeDisconnect> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _receive = new();
    private int _homeReason = -1;

    internal HomeConnection(ulong id, HomeUpgrade upgrade, WebSocket socket, HttpContext context)
    {
        Id = id;
        Upgrade = upgrade;
        _socket = socket;
        _context = context;
    }

    /// <summary>The home's id of this socket (what CONNECTION_ID carries).</summary>
    public ulong Id { get; }

    /// <summary>The request that opened it: User-Agent, profile header, query, …</summary>
    public HomeUpgrade Upgrade { get; }

    /// <summary>Every whole message received, verbatim and in order (PING and ECHO included).</summary>
    public RecordedEvents<HomeMessage> Received { get; } = new();

    /// <summary>Completes when the socket has ended, with why.</summary>
    public Task<HomeDisconnect> Ended => _ended.Task;

    public bool IsOpen => !Ended.IsCompleted;

    internal CancellationToken ReceiveAborted => _receive.Token;

    internal HomeDisconnectReason? HomeReason => _homeReason < 0 ? null : (HomeDisconnectReason)_homeReason;

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryAsync(ReadOnlyMemory<byte> data) => SendAsync(data, WebSocketMessageType.Binary);

    /// <summary>Sends a BLOB text message of exactly <paramref name="size"/> bytes (see <see cref="HomeMessages.Blob"/>) and returns it.</summary>
    public async Task<string> SendTextOfSizeAsync(int size, int seed = 0)
    {
        var blob = HomeMessages.Blob(size, seed);
        await SendTextAsync(blob);
        return blob;
    }

    /// <summary>The home closes the socket (close frame with <paramref name="status"/>); dropped if the client does not answer within 2 s.</summary>
    public Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? description = null) =>
        CloseFromHomeAsync(status, description, HomeDisconnectReason.ClosedByHome);

    /// <summary>The home drops the TCP connection without a close frame.</summary>
    public void Abort()
    {
        Interlocked.CompareExchange(ref _homeReason, (int)HomeDisconnectReason.AbortedByHome, -1);
        _context.Abort();
        _receive.Cancel();
    }

    internal async Task CloseFromHomeAsync(WebSocketCloseStatus status, string? description, HomeDisconnectReason reason)
    {
        Interlocked.CompareExchange(ref _homeReason, (int)reason, -1);
        _receive.CancelAfter(TimeSpan.FromSeconds(2));
        await _sendLock.WaitAsync();
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, description, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Already gone: the receive loop records how.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    internal async Task SendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(data, type, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends unless the socket has gone: for broadcasts, which skip sockets that are closing.</summary>
    internal async Task<bool> TrySendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type)
    {
        try
        {
            await SendAsync(data, type);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    internal void SetEnded(HomeDisconnect disconnect)
    {
        // The token source is not disposed: Abort or a late CancelAfter may still touch it.
        _ended.TrySetResult(disconnect);
    }

    public override string ToString() => $"connection {Id} ({Upgrade.QueryString})";
}
