using System.Diagnostics;
using Tunnel.Bench.Origin;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Paths;

/// <summary>Start-to-served: polls <c>/json</c> through a path until it answers correctly.</summary>
internal static class Served
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Milliseconds from <paramref name="startedTimestamp"/> (taken just before the home side's process started) to
    /// the first complete, correct <c>/json</c> answer through <paramref name="path"/>.
    /// </summary>
    public static async Task<double> WaitAsync(BenchPath path, ChildProcess homeSide, long startedTimestamp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var url = path.Url("/json");
        string last = "no answer yet";
        while (Stopwatch.GetElapsedTime(startedTimestamp) < timeout)
        {
            if (homeSide.HasExited)
            {
                throw new InvalidOperationException($"{homeSide.Name} exited before serving:\n{homeSide.Tail()}");
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                using var response = await path.Client.GetAsync(url, attempt.Token);
                var body = await response.Content.ReadAsByteArrayAsync(attempt.Token);
                if (response.IsSuccessStatusCode && body.AsSpan().SequenceEqual(OriginServer.Json))
                {
                    return Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = ex.Message;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        throw new TimeoutException($"{path.Name} did not serve /json within {timeout.TotalSeconds:0} s (last: {last}).\n{homeSide.Tail()}");
    }
}
