using System.Net;
using System.Net.Sockets;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A loopback TCP relay in front of a server (the database) that a test can cut and restore: cut closes every
/// relayed connection and stops listening, so new connections are refused at once, as when the database host is down.
/// </summary>
public sealed class CuttableTcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private readonly object _gate = new();
    private TcpListener? _listener;
    private CancellationTokenSource _running = new();

    public CuttableTcpProxy(IPEndPoint target)
    {
        _target = target;
        Port = Start(0);
    }

    public int Port { get; }

    public void Cut()
    {
        lock (_gate)
        {
            _running.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            _running = new CancellationTokenSource();
            Start(Port);
        }
    }

    private int Start(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        var token = _running.Token;
        _ = Task.Run(() => AcceptLoopAsync(listener, token));
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested || !listener.Server.IsBound)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(_target, cancellationToken);
            }
            catch (Exception)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (_gate)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = RelayAsync(inbound.GetStream(), outbound.GetStream(), inbound, outbound, cancellationToken);
            _ = RelayAsync(outbound.GetStream(), inbound.GetStream(), outbound, inbound, cancellationToken);
        }
    }

    private static async Task RelayAsync(NetworkStream from, NetworkStream to, TcpClient a, TcpClient b, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken);
        }
        catch (Exception)
        {
            // Cut or closed: both sides go.
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        _running.Dispose();
        return ValueTask.CompletedTask;
    }
}
