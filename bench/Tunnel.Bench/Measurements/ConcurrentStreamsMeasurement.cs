using System.Diagnostics;
using Tunnel.Bench.Paths;
using Tunnel.Bench.Processes;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Measurements;

/// <summary>Many large bodies at once (64 × 32 MiB), each checked, with each side's peak RSS sampled meanwhile.</summary>
internal static class ConcurrentStreamsMeasurement
{
    public static async Task<StreamsResult> RunAsync(BenchPath path, int streams, long bytesEach, CancellationToken cancellationToken)
    {
        var url = path.Url($"/file/{bytesEach}");
        await using var serverRss = path.ServerSide is null ? null : RssSampler.Start(path.ServerSide);
        await using var homeRss = path.HomeSide is null ? null : RssSampler.Start(path.HomeSide);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(_ =>
            Task.Run(() => BodyDownload.RunAsync(path.Client, url, bytesEach, cancellationToken), cancellationToken)));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        double? serverPeak = serverRss is null ? null : Stats.MiB(await serverRss.StopAsync());
        double? homePeak = homeRss is null ? null : Stats.MiB(await homeRss.StopAsync());
        return new StreamsResult(streams, bytesEach, Math.Round(seconds, 3), Math.Round(streams * bytesEach / seconds / 1e6, 1), serverPeak, homePeak);
    }
}
