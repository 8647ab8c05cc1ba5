using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Tunnel.Bench.Wan;

/// <summary>
/// A loopback TCP proxy that delays every byte by a fixed one-way delay in each direction, with no bandwidth limit:
/// a home link's latency without its bandwidth. Each direction reads what arrives, stamps it, and a writer sends it
/// on once its delay has passed, so a window-limited sender sees a real round trip of twice the delay. The delay line
/// holds what arrives during one delay (rate × delay); <see cref="MaxQueuedChunks"/> reads per direction is only a
/// safety net, high enough not to limit bandwidth even when reads are small (8,192 × 4 KiB = 32 MiB per delay).
/// </summary>
internal sealed class DelayProxy : IAsyncDisposable
{
    private const int ReadSize = 64 * 1024;
    private const int MaxQueuedChunks = 8192;

    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Socket> _sockets = [];

    private DelayProxy(int targetPort, TimeSpan delay)
    {
        _targetPort = targetPort;
        _delay = delay;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public TimeSpan Delay => _delay;

    public static DelayProxy Start(int targetPort, TimeSpan oneWayDelay) => new(targetPort, oneWayDelay);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var inbound = await _listener.AcceptSocketAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(inbound));
        }
    }

    private async Task ServeAsync(Socket inbound)
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
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // One side went away: both close.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    /// <summary>Reads from one socket into the delay line and writes each read to the other once it is due.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var line = Channel.CreateBounded<(byte[] Buffer, int Length, long Due)>(
            new BoundedChannelOptions(MaxQueuedChunks) { SingleReader = true, SingleWriter = true });
        var delayTicks = (long)(_delay.TotalSeconds * Stopwatch.Frequency);
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
                int n;
                try
                {
                    n = await from.ReceiveAsync(buffer.AsMemory(0, ReadSize), SocketFlags.None, _stop.Token);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    await line.Writer.WriteAsync(([], 0, Stopwatch.GetTimestamp() + delayTicks), _stop.Token);
                    break;
                }

                await line.Writer.WriteAsync((buffer, n, Stopwatch.GetTimestamp() + delayTicks), _stop.Token);
            }
        }
        finally
        {
            line.Writer.TryComplete();
            await writer;
        }
    }
}
