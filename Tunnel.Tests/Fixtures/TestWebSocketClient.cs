using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A <see cref="ClientWebSocket"/> for tests: connect (keeping the refusal's status), send, and receive whole messages
/// with a bound on every wait. Usable on the home's <c>/ws</c> directly or on the tunnel's <c>/ws</c>.
/// </summary>
public sealed class TestWebSocketClient : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private TestWebSocketClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Connects, or throws <see cref="WebSocketException"/>; see <see cref="TryConnectAsync"/> for the refusal's status.</summary>
    public static async Task<TestWebSocketClient> ConnectAsync(Uri uri, IReadOnlyDictionary<string, string>? headers = null, TimeSpan? within = null)
    {
        var (client, status) = await TryConnectAsync(uri, headers, within);
        return client ?? throw new WebSocketException($"The upgrade to {uri} was refused with {(int)status}.");
    }

    /// <summary>Connects; on refusal returns no client and the HTTP status the server answered instead of 101.</summary>
    public static async Task<(TestWebSocketClient? Client, HttpStatusCode Status)> TryConnectAsync(
        Uri uri, IReadOnlyDictionary<string, string>? headers = null, TimeSpan? within = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var timeout = new CancellationTokenSource(within ?? DefaultWait);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
            return (new TestWebSocketClient(socket), socket.HttpStatusCode);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        Socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next whole message (or the close, with <see cref="WebSocketMessageType.Close"/> and no data).</summary>
    public async Task<HomeMessage> ReceiveAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? DefaultWait);
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await Socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"No message within {(within ?? DefaultWait).TotalSeconds:0.#} s.");
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new HomeMessage(WebSocketMessageType.Close, []);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return new HomeMessage(result.MessageType, message.ToArray());
            }
        }
    }

    /// <summary>The next message, which must be text.</summary>
    public async Task<string> ReceiveTextAsync(TimeSpan? within = null)
    {
        var message = await ReceiveAsync(within);
        message.Type.Should().Be(WebSocketMessageType.Text, "a text message was expected, got {0}", message);
        return message.Text;
    }

    /// <summary>Receives until the server's close frame arrives; returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync(TimeSpan? within = null)
    {
        while ((await ReceiveAsync(within)).Type != WebSocketMessageType.Close)
        {
        }

        return Socket.CloseStatus;
    }

    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        using var timeout = new CancellationTokenSource(DefaultWait);
        await Socket.CloseAsync(status, null, timeout.Token);
    }

    public void Dispose() => Socket.Dispose();
}
