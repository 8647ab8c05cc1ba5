using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Tunnel.Agent.Connection;

namespace Tunnel.Tests.Agent;

/// <summary>
/// <see cref="CoalescingWebSocket"/> over a real WebSocket pair on loopback TCP: a message handed over in pieces (as
/// SignalR's transport does, one pipe segment at a time) leaves as one frame, and arrives whole.
/// </summary>
public sealed class CoalescingWebSocketTests
{
    private const int BinaryOpcode = 2;
    private const int TextOpcode = 1;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Send_MessageInPieces_GoesOutAsOneFrame()
    {
        await using var pair = await SocketPair.OpenAsync(coalesce: true);
        var message = Pattern(64 * 1024);

        await SendInPiecesAsync(pair.Client, message, 4096, WebSocketMessageType.Binary);
        var received = await ReceiveMessageAsync(pair.Server);

        received.Should().Equal(message);
        pair.Frames().Should().Equal([new WebSocketFrame(true, BinaryOpcode, message.Length)], "sixteen pieces leave as one final frame");
    }

    [Fact]
    public async Task Send_WithoutCoalescing_PiecesGoOutAsManyFrames()
    {
        // The control: the same pieces through the plain socket are sixteen frames, so the frame count above is real.
        await using var pair = await SocketPair.OpenAsync(coalesce: false);
        var message = Pattern(64 * 1024);

        await SendInPiecesAsync(pair.Client, message, 4096, WebSocketMessageType.Binary);
        (await ReceiveMessageAsync(pair.Server)).Should().Equal(message);

        pair.Frames().Should().HaveCount(16);
    }

    [Fact]
    public async Task Send_SeveralMessages_EachOneFrame_NothingCarriedOver()
    {
        await using var pair = await SocketPair.OpenAsync(coalesce: true);
        var first = Pattern(10_000);
        var whole = Pattern(300, seed: 7);
        var second = Text(5_000);

        await SendInPiecesAsync(pair.Client, first, 3000, WebSocketMessageType.Binary);
        await pair.Client.SendAsync(whole, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        await SendInPiecesAsync(pair.Client, second, 1024, WebSocketMessageType.Text);

        (await ReceiveMessageAsync(pair.Server)).Should().Equal(first);
        (await ReceiveMessageAsync(pair.Server)).Should().Equal(whole);
        (await ReceiveMessageAsync(pair.Server)).Should().Equal(second);
        pair.Frames().Should().Equal(
            new WebSocketFrame(true, BinaryOpcode, first.Length),
            new WebSocketFrame(true, BinaryOpcode, whole.Length),
            new WebSocketFrame(true, TextOpcode, second.Length));
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(200 * 1024)]
    public async Task Send_MessageLargerThanAFrame_LeavesInBoundedFragments(int piece)
    {
        // SignalR hands over whatever its pipe holds as one message (up to 1 MiB): it must not be gathered whole.
        await using var pair = await SocketPair.OpenAsync(coalesce: true);
        var message = Pattern(700 * 1024 + 123);

        await SendInPiecesAsync(pair.Client, message, piece, WebSocketMessageType.Binary);
        var received = await ReceiveMessageAsync(pair.Server);

        received.Should().Equal(message);
        var frames = pair.Frames();
        frames.Should().HaveCountGreaterThan(1);
        frames.Should().OnlyContain(f => f.PayloadLength <= CoalescingWebSocket.MaxFrameBytes);
        frames.Select(f => f.Fin).Should().Equal([.. Enumerable.Repeat(false, frames.Count - 1), true], "only the last fragment ends the message");
        frames.Sum(f => f.PayloadLength).Should().Be(message.Length);
    }

    private static async Task SendInPiecesAsync(WebSocket socket, byte[] message, int piece, WebSocketMessageType type)
    {
        for (var offset = 0; offset < message.Length; offset += piece)
        {
            var n = Math.Min(piece, message.Length - offset);
            await socket.SendAsync(message.AsMemory(offset, n), type, endOfMessage: offset + n == message.Length, CancellationToken.None);
        }
    }

    private static async Task<byte[]> ReceiveMessageAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Within);
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }

    private static byte[] Pattern(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Printable ASCII: a text message must be UTF-8 for the receiver.</summary>
    private static byte[] Text(int length) => [.. Pattern(length, seed: 3).Select(b => (byte)('a' + (b % 26)))];

    /// <summary>A client and a server WebSocket over one loopback TCP connection; the server records what arrives.</summary>
    private sealed class SocketPair : IAsyncDisposable
    {
        private readonly TcpClient _clientTcp;
        private readonly TcpClient _serverTcp;
        private readonly RecordingStream _wire;

        private SocketPair(TcpClient clientTcp, TcpClient serverTcp, RecordingStream wire, WebSocket client, WebSocket server)
        {
            _clientTcp = clientTcp;
            _serverTcp = serverTcp;
            _wire = wire;
            Client = client;
            Server = server;
        }

        public WebSocket Client { get; }

        public WebSocket Server { get; }

        public static async Task<SocketPair> OpenAsync(bool coalesce)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var clientTcp = new TcpClient();
            var accepting = listener.AcceptTcpClientAsync();
            await clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var serverTcp = await accepting.WaitAsync(Within);
            var wire = new RecordingStream(serverTcp.GetStream());
            var plain = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
            var server = WebSocket.CreateFromStream(wire, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
            return new SocketPair(clientTcp, serverTcp, wire, coalesce ? new CoalescingWebSocket(plain) : plain, server);
        }

        public List<WebSocketFrame> Frames() => WebSocketFrame.Parse(_wire.Read());

        public ValueTask DisposeAsync()
        {
            Client.Dispose();
            Server.Dispose();
            _clientTcp.Dispose();
            _serverTcp.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
