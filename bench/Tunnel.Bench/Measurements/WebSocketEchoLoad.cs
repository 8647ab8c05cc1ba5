using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Measurements;

/// <summary>
/// Messages per second and round-trip time over <c>/ws</c>: <c>sockets</c> WebSockets, each in a closed loop
/// (send a 256-byte text message, receive its echo, check it byte for byte), for a fixed time after a warm-up on the
/// same sockets. An upgrade answered 404 means the path has no <c>/ws</c> (the tunnel before its relay): reported as
/// unavailable, not as a failure.
/// </summary>
internal static class WebSocketEchoLoad
{
    public const int MessageBytes = 256;

    /// <summary>The measurement, or null when the path answers the upgrade with 404.</summary>
    public static async Task<WebSocketEchoResult?> RunAsync(
        Uri url, int sockets, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, sockets).Select(_ => ConnectAsync(url, cancellationToken)));
        var connected = attempts.Where(a => a.Socket is not null).Select(a => a.Socket!).ToArray();
        try
        {
            if (attempts.FirstOrDefault(a => a.Error is not null).Error is { } error)
            {
                throw new InvalidOperationException(error);
            }

            if (connected.Length < sockets)
            {
                return null;
            }

            var workers = connected.Select((s, i) => new Worker(s, i)).ToArray();
            await RunWorkersAsync(workers, warmup, cancellationToken);
            foreach (var worker in workers)
            {
                worker.Reset();
            }

            var started = Stopwatch.GetTimestamp();
            await RunWorkersAsync(workers, duration, cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

            var latencies = workers.SelectMany(w => w.Latencies).ToArray();
            Array.Sort(latencies);
            var ticksPerMs = Stopwatch.Frequency / 1000.0;
            return new WebSocketEchoResult(
                sockets,
                Math.Round(seconds, 3),
                latencies.Length,
                workers.Sum(w => w.Errors),
                Math.Round(latencies.Length / seconds, 1),
                Math.Round(Stats.Percentile(latencies, 50, ticksPerMs), 3),
                Math.Round(Stats.Percentile(latencies, 99, ticksPerMs), 3),
                workers.Select(w => w.FirstError).FirstOrDefault(e => e is not null));
        }
        finally
        {
            await Task.WhenAll(connected.Select(CloseAsync));
        }
    }

    /// <summary>A connected socket; or none and no error for a 404; or none and the error.</summary>
    private static async Task<(ClientWebSocket? Socket, string? Error)> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(url, cancellationToken);
            return (socket, null);
        }
        catch (WebSocketException e)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return status == HttpStatusCode.NotFound
                ? (null, null)
                : (null, $"the /ws upgrade failed{(status == 0 ? "" : $" with HTTP {(int)status}")}: {e.Message}");
        }
    }

    private static async Task CloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Closing is best effort: the measurement is done.
        }

        socket.Dispose();
    }

    private static Task RunWorkersAsync(Worker[] workers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(end, cancellationToken), cancellationToken)));
    }

    private sealed class Worker(ClientWebSocket socket, int index)
    {
        private readonly byte[] _message = new byte[MessageBytes];
        private readonly byte[] _echo = new byte[MessageBytes * 2];
        private long _sequence;

        public List<long> Latencies { get; } = new(4096);

        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        public void Reset()
        {
            Latencies.Clear();
            Errors = 0;
            FirstError = null;
        }

        public async Task RunAsync(long end, CancellationToken cancellationToken)
        {
            while (Stopwatch.GetTimestamp() < end && socket.State == WebSocketState.Open)
            {
                var length = Fill(_sequence++);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await socket.SendAsync(_message.AsMemory(0, length), WebSocketMessageType.Text, true, cancellationToken);
                    var received = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        result = await socket.ReceiveAsync(_echo.AsMemory(received), cancellationToken);
                        received += result.Count;
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && received < _echo.Length);

                    if (result.MessageType == WebSocketMessageType.Text && result.EndOfMessage && _echo.AsSpan(0, received).SequenceEqual(_message.AsSpan(0, length)))
                    {
                        Latencies.Add(Stopwatch.GetTimestamp() - started);
                        continue;
                    }

                    Fail(result.MessageType == WebSocketMessageType.Close
                        ? $"closed by the other side ({socket.CloseStatus} {socket.CloseStatusDescription})"
                        : $"wrong echo: {received} bytes {result.MessageType}");
                }
                catch (WebSocketException e)
                {
                    Fail(e.Message);
                }
            }
        }

        /// <summary>A MoosicBox-like JSON message naming this socket and sequence number, padded to <see cref="MessageBytes"/>.</summary>
        private int Fill(long sequence)
        {
            var head = string.Create(CultureInfo.InvariantCulture, $$"""{"type":"ECHO","payload":{"socket":{{index}},"seq":{{sequence}},"pad":""");
            var length = Encoding.UTF8.GetBytes(head, _message);
            _message.AsSpan(length, MessageBytes - length - 3).Fill((byte)'x');
            "\"}}"u8.CopyTo(_message.AsSpan(MessageBytes - 3));
            return MessageBytes;
        }

        private void Fail(string error)
        {
            Errors++;
            FirstError ??= error;
        }
    }
}
