using System.Globalization;
using System.Text;

namespace Tunnel.Bench.Reporting;

/// <summary>
/// Issue 13's targets for the streamed tunnel, measured in one run side by side with ssh -R (AES-GCM where the CPU
/// has AES-NI): "to resolve" and "to aim for". Reported, never asserted.
/// </summary>
internal static class Targets
{
    public static IReadOnlyList<TargetResult> Check(IReadOnlyList<PathResult> paths, IReadOnlyList<WanResult> wan)
    {
        var tunnel = paths.FirstOrDefault(p => p.Key == "tunnel-streamed");
        var ssh = paths.FirstOrDefault(p => p.Key == "ssh");
        var t = tunnel?.Throughput;
        var rate = t?.MedianMegabytesPerSecond;
        var peer = ssh?.Throughput?.MedianMegabytesPerSecond;
        var cpu = t?.TotalCpuSecondsPerGB;
        var rps64 = tunnel?.SmallRequests.FirstOrDefault(l => l.Concurrency == 64)?.RequestsPerSecond;
        var p50at16 = tunnel?.SmallRequests.FirstOrDefault(l => l.Concurrency == 16)?.P50Ms;
        var streamsRss = tunnel?.Streams?.ServerPeakRssMiB;
        double? agentBusy = t is null ? null : Math.Max(t.HomePeakRssMiB ?? 0, t.HomeAfterRssMiB ?? 0);

        var list = new List<TargetResult>();
        void AtLeast(string target, string level, double? value, double? goal, string goalText) =>
            list.Add(new(target, level, goalText, value, value is not null && goal is not null && value >= goal));
        void AtMost(string target, string level, double? value, double goal, string goalText) =>
            list.Add(new(target, level, goalText, value, value is not null && value <= goal));

        AtLeast("streamed MB/s", "resolve", rate, peer * 1.2, peer is null ? "≥ 1.2 × ssh -R (no ssh result)" : $"≥ 1.2 × ssh -R = {peer * 1.2:N0}");
        AtMost("CPU-s/GB, server + agent", "resolve", cpu, 2.5, "≤ 2.5");
        AtLeast("1 KiB req/s at c=64, shipped logging", "resolve", rps64, 20_000, "≥ 20,000");
        AtMost("p50 ms at c=16", "resolve", p50at16, 1.0, "≤ 1");
        AtMost("server peak RSS MiB, 64 × 32 MiB streams", "resolve", streamsRss, 200, "≤ 200");
        foreach (var row in wan.Where(w => w.OneWayDelayMs is 25 or 100))
        {
            AtLeast($"WAN {row.OneWayDelayMs} ms one-way, tunnel / ssh -R", "resolve", row.Ratio, 1.0, "≥ 1.0");
        }

        AtMost("agent RSS MiB idle", "resolve", t?.HomeIdleRssMiB, 48, "≤ 48");
        AtMost("agent RSS MiB during / after a body", "resolve", agentBusy, 96, "≤ 96");
        AtLeast("streamed MB/s", "aim", rate, peer * 2, peer is null ? "≥ 2 × ssh -R (no ssh result)" : $"≥ 2 × ssh -R = {peer * 2:N0}");
        AtMost("CPU-s/GB, server + agent", "aim", cpu, 1.5, "≤ 1.5");
        AtLeast("1 KiB req/s at c=64", "aim", rps64, 25_000, "≥ 25,000");
        foreach (var row in wan.Where(w => w.OneWayDelayMs is 25 or 100))
        {
            AtLeast($"WAN {row.OneWayDelayMs} ms one-way, tunnel / ssh -R", "aim", row.Ratio, 2.0, "≥ 2.0");
        }

        return list;
    }

    public static string Format(IReadOnlyList<TargetResult> targets, bool quick)
    {
        var text = new StringBuilder();
        text.AppendLine(quick
            ? "Issue 13 targets, tunnel streamed (quick run: small sizes, short phases — not comparable):"
            : "Issue 13 targets, tunnel streamed:");
        foreach (var t in targets)
        {
            var value = t.Value is { } v ? v.ToString(v >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture) : "—";
            text.AppendLine(CultureInfo.InvariantCulture, $"- [{(t.Met ? "x" : " ")}] {(t.Level == "aim" ? "aim" : "resolve")}: {t.Target} {t.Goal} — this run {value}");
        }

        return text.ToString();
    }
}
