using Tunnel.Bench.Paths;
using Tunnel.Bench.Processes;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Measurements;

/// <summary>
/// Throughput of one large body: warm-up downloads, then the measured ones in sequence, with the CPU time of each
/// side (and of the bench itself: client + origin) read from /proc before and after, and each side's peak RSS.
/// </summary>
internal static class ThroughputMeasurement
{
    public static async Task<ThroughputResult> RunAsync(
        BenchPath path, ProcessGroup? origin, long bytes, int warmups, int runs, CancellationToken cancellationToken)
    {
        var url = path.Url($"/file/{bytes}");
        var serverIdle = Rss(path.ServerSide);
        var homeIdle = Rss(path.HomeSide);
        for (var i = 0; i < warmups; i++)
        {
            await BodyDownload.RunAsync(path.Client, url, bytes, cancellationToken);
        }

        var serverPids = path.ServerSide?.Pids() ?? [];
        var homePids = path.HomeSide?.Pids() ?? [];
        var serverCpu = ProcFs.CpuSeconds(serverPids);
        var homeCpu = ProcFs.CpuSeconds(homePids);
        var originPids = origin?.Pids() ?? [];
        var benchCpu = ProcFs.CpuSeconds(Environment.ProcessId) + ProcFs.CpuSeconds(originPids);
        await using var serverRss = path.ServerSide is null ? null : RssSampler.Start(path.ServerSide);
        await using var homeRss = path.HomeSide is null ? null : RssSampler.Start(path.HomeSide);

        var rates = new List<double>();
        var firstBytes = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (ttfb, seconds) = await BodyDownload.RunAsync(path.Client, url, bytes, cancellationToken);
            rates.Add(bytes / seconds / 1e6);
            firstBytes.Add(ttfb);
        }

        var gigabytes = (double)bytes * runs / 1e9;
        // Re-read the groups: sshd's session processes are found as they are now.
        double? serverPerGb = path.ServerSide is null ? null : (ProcFs.CpuSeconds(serverPids) - serverCpu) / gigabytes;
        double? homePerGb = path.HomeSide is null ? null : (ProcFs.CpuSeconds(homePids) - homeCpu) / gigabytes;
        double? total = serverPerGb is null && homePerGb is null ? null : (serverPerGb ?? 0) + (homePerGb ?? 0);
        var benchPerGb = (ProcFs.CpuSeconds(Environment.ProcessId) + ProcFs.CpuSeconds(originPids) - benchCpu) / gigabytes;
        double? serverPeak = serverRss is null ? null : Stats.MiB(await serverRss.StopAsync());
        double? homePeak = homeRss is null ? null : Stats.MiB(await homeRss.StopAsync());
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        return new ThroughputResult(
            bytes, runs, rates, Stats.Median(rates), firstBytes, Stats.Median(firstBytes),
            Round(serverPerGb), Round(homePerGb), Round(total), Math.Round(benchPerGb, 2), serverPeak, homePeak,
            serverIdle, homeIdle, Rss(path.ServerSide), Rss(path.HomeSide));
    }

    private static double? Rss(ProcessGroup? group) => group is null ? null : Stats.MiB(group.Pids().Sum(ProcFs.RssBytes));

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 2);
}
