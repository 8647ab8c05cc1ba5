using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A loopback TCP relay that delays every byte by a fixed one-way delay in each direction, with no bandwidth limit:
/// a home link's latency on loopback. Each direction stamps what it reads and a writer sends it on once due, so a
/// window-limited sender sees a round trip of twice the delay. Put it between the agent and the server.
/// </summary>
public sealed class DelayingTcpProxy : IAsyncDisposable
{
    private const int ReadSize = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly long _delayTicks;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;

    public DelayingTcpProxy(int targetPort, TimeSpan oneWayDelay)
    {
        _targetPort = targetPort;
        _delayTicks = (long)(oneWayDelay.TotalSeconds * Stopwatch.Frequency);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
        }

        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var inbound = await _listener.AcceptSocketAsync(_stop.Token);
            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(Socket inbound)
    {
        var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        inbound.NoDelay = true;
        lock (_sockets)
        {
            _sockets.Add(inbound);
            _sockets.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            await Task.WhenAll(PumpAsync(inbound, outbound), PumpAsync(outbound, inbound));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var line = Channel.CreateBounded<(byte[] Buffer, int Length, long Due)>(new BoundedChannelOptions(8192) { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            await foreach (var (buffer, length, due) in line.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _stop.Token);
                    }

                    if (length == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    await to.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, _stop.Token);
                }
                finally
                {
                    if (length > 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
        });

        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
                var n = 0;
                try
                {
                    n = await from.ReceiveAsync(buffer.AsMemory(0, ReadSize), SocketFlags.None, _stop.Token);
                }
                finally
                {
                    if (n == 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }

                await line.Writer.WriteAsync(n == 0 ? ([], 0, Stopwatch.GetTimestamp() + _delayTicks) : (buffer, n, Stopwatch.GetTimestamp() + _delayTicks), _stop.Token);
                if (n == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            line.Writer.TryComplete();
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
