using System.Diagnostics;
using Tunnel.Bench.Origin;
using Tunnel.Bench.Paths;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Measurements;

/// <summary>
/// The load loop used for every path: <c>concurrency</c> workers on one HttpClient, each sending GET /json, reading
/// the whole 1 KiB answer and checking it, then sending the next (a closed loop), for a fixed time after a warm-up.
/// Bounded by time and by a cap on requests per worker.
/// </summary>
internal static class SmallRequestLoad
{
    private const int MaxRequestsPerWorker = 2_000_000;

    public static async Task<LoadResult> RunAsync(
        BenchPath path, int concurrency, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var url = path.Url("/json");
        await RunWorkersAsync(path.Client, url, concurrency, warmup, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var workers = await RunWorkersAsync(path.Client, url, concurrency, duration, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var latencies = workers.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);
        var ticksPerMs = Stopwatch.Frequency / 1000.0;
        var errors = workers.Sum(w => w.Errors);
        return new LoadResult(
            concurrency,
            Math.Round(seconds, 3),
            latencies.Length,
            errors,
            Math.Round(latencies.Length / seconds, 1),
            Math.Round(Stats.Percentile(latencies, 50, ticksPerMs), 3),
            Math.Round(Stats.Percentile(latencies, 99, ticksPerMs), 3),
            workers.Select(w => w.FirstError).FirstOrDefault(e => e is not null));
    }

    private static async Task<Worker[]> RunWorkersAsync(HttpClient client, Uri url, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => new Worker()).ToArray();
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(client, url, end, cancellationToken), cancellationToken)));
        return workers;
    }

    private sealed class Worker
    {
        public List<long> Latencies { get; } = new(4096);

        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        public async Task RunAsync(HttpClient client, Uri url, long end, CancellationToken cancellationToken)
        {
            while (Stopwatch.GetTimestamp() < end && Latencies.Count < MaxRequestsPerWorker)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(url, cancellationToken);
                    var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    if (response.IsSuccessStatusCode && body.AsSpan().SequenceEqual(OriginServer.Json))
                    {
                        Latencies.Add(Stopwatch.GetTimestamp() - started);
                        continue;
                    }

                    Fail($"HTTP {(int)response.StatusCode}, {body.Length} bytes");
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    Fail(ex.Message);
                }
            }
        }

        private void Fail(string error)
        {
            Errors++;
            FirstError ??= error;
        }
    }
}
