using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Tunnel.Tests.Fixtures;

/// <summary>Requests through a <see cref="RawOriginStack"/> on a bare client socket, byte for byte.</summary>
public static class RawTunnelCall
{
    /// <summary>Opens a raw client connection to the tunnel server.</summary>
    public static Task<RawHttpConnection> OpenAsync(RawOriginStack stack, CancellationToken cancellationToken) =>
        RawHttpConnection.OpenAsync(stack.Server.BaseAddress, cancellationToken);

    /// <summary>Sends one request (authorized, clientId added, buffered mode when asked) and reads its head.</summary>
    public static async Task<RawHttpResponseHead> SendAsync(RawHttpConnection connection, RawOriginStack stack, string method, string path,
        bool buffered, CancellationToken cancellationToken, params (string Name, byte[] Value)[] extra)
    {
        var head = new List<byte>();
        head.AddRange(Encoding.ASCII.GetBytes($"{method} {stack.Url(path)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {stack.Token}\r\n"));
        if (buffered)
        {
            head.AddRange("X-Tunnel-Response: buffered\r\n"u8.ToArray());
        }

        foreach (var (name, value) in extra)
        {
            head.AddRange(Encoding.ASCII.GetBytes(name + ": "));
            head.AddRange(value);
            head.AddRange("\r\n"u8.ToArray());
        }

        head.AddRange("\r\n"u8.ToArray());
        await connection.SendBytesAsync(head.ToArray(), cancellationToken);
        return await connection.ReadHeadAsync(cancellationToken);
    }

    /// <summary>Reads a body framed by the head's Content-Length.</summary>
    public static async Task<byte[]> ReadBodyAsync(RawHttpConnection connection, RawHttpResponseHead head, CancellationToken cancellationToken)
    {
        var length = int.Parse(head["Content-Length"] ?? throw new InvalidDataException("No Content-Length."), CultureInfo.InvariantCulture);
        var body = new byte[length];
        await connection.Body.ReadExactlyAsync(body, cancellationToken);
        return body;
    }

    /// <summary>Deterministic test bytes.</summary>
    public static byte[] Pattern(int length, int seed = 0)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = PatternStream.At(i, seed);
        }

        return bytes;
    }

    /// <summary>Writes <paramref name="body"/> as one chunk and the last chunk (RFC 9112 §7.1).</summary>
    public static async Task WriteChunkedAsync(Stream stream, byte[] body, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(body.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.WriteAsync("\r\n0\r\n\r\n"u8.ToArray(), cancellationToken);
    }

    /// <summary>True when the peer closed the connection (a read returns 0 or fails) within the time given.</summary>
    public static async Task<bool> IsClosedAsync(RawHttpConnection connection, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            var one = new byte[1];
            return await connection.Body.ReadAsync(one, cts.Token) == 0;
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
