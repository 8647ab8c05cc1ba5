using System.Net.Sockets;
using System.Text;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient will not do: send a request target byte for byte (raw
/// UTF-8), or read the headers of a response and then stop reading its body (a stalled caller).
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawHttpConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The body bytes after the head; read it, or leave it unread to stall the sender.</summary>
    public Stream Body => _stream;

    /// <summary>
    /// Connects to <paramref name="server"/>. A small receive buffer keeps what the kernel soaks up of a body this
    /// connection does not read to a few tens of KiB.
    /// </summary>
    public static async Task<RawHttpConnection> OpenAsync(Uri server, CancellationToken cancellationToken, int receiveBufferSize = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize > 0)
        {
            socket.ReceiveBufferSize = receiveBufferSize;
        }

        await socket.ConnectAsync(server.Host, server.Port, cancellationToken);
        return new RawHttpConnection(socket);
    }

    /// <summary>Sends a request head; <paramref name="target"/> goes out as UTF-8 bytes, unescaped.</summary>
    public async Task SendAsync(string method, string target, IEnumerable<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        head.Append("Host: 127.0.0.1\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), cancellationToken);
    }

    /// <summary>Sends a request head byte for byte (e.g. a header value with a Latin-1 byte that is not UTF-8).</summary>
    public async Task SendBytesAsync(byte[] head, CancellationToken cancellationToken) =>
        await _stream.WriteAsync(head, cancellationToken);

    /// <summary>Reads the status line and headers, byte by byte so that no body byte is consumed.</summary>
    public async Task<RawHttpResponseHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(1024);
        var one = new byte[1];
        while (bytes.Count < 4 || bytes[^4] != '\r' || bytes[^3] != '\n' || bytes[^2] != '\r' || bytes[^1] != '\n')
        {
            if (await _stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("The connection closed before the response head was complete.");
            }

            bytes.Add(one[0]);
            if (bytes.Count > 64 * 1024)
            {
                throw new InvalidDataException("Response head larger than 64 KiB.");
            }
        }

        var lines = Encoding.Latin1.GetString(bytes.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var fields = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .Select(p => (Name: p[0].Trim(), Value: p.Length > 1 ? p[1].Trim() : string.Empty))
            .ToList();
        return new RawHttpResponseHead(status, fields);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already gone.
        }

        await _stream.DisposeAsync();
    }
}
