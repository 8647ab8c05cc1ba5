using System.Net;
using System.Net.Sockets;

namespace Tunnel.Bench.Processes;

/// <summary>Free TCP ports on 127.0.0.1, for the children that need a port number before they start.</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Polls until something accepts TCP connections on the port, the process dies, or the timeout passes.</summary>
    public static async Task WaitListeningAsync(int port, ChildProcess owner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (owner.HasExited)
            {
                throw new InvalidOperationException($"{owner.Name} exited during start-up:\n{owner.Tail()}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        throw new TimeoutException($"{owner.Name} did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds:0} s:\n{owner.Tail()}");
    }
}
