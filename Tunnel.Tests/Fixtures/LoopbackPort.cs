using System.Net;
using System.Net.Sockets;

namespace Tunnel.Tests.Fixtures;

/// <summary>A loopback port free right now, for a server process that must restart on the same port.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
