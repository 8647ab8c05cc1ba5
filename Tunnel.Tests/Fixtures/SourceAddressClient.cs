using System.Net;
using System.Net.Sockets;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// An HTTP client whose connections leave from a chosen loopback address (127.0.0.2, …), so that tests can act as
/// different remote IPs against a server on 127.0.0.1.
/// </summary>
public static class SourceAddressClient
{
    public static HttpClient Create(Uri baseAddress, IPAddress source) =>
        new(new SocketsHttpHandler
        {
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
}
