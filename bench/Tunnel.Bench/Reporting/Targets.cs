using System.Globalization;
using System.Text;

namespace Tunnel.Bench.Reporting;

/// <summary>
/// Issue 5's targets for the streamed tunnel: "to resolve" (beat every peer) and "to aim for" (2 × the best peer).
/// The only general-purpose tunnel peer in this run is ssh -R, so it is the peer the throughput goals scale with.
/// </summary>
internal static class Targets
{
    public static IReadOnlyList<TargetResult> Check(IReadOnlyList<PathResult> paths)
    {
        var tunnel = paths.FirstOrDefault(p => p.Key == "tunnel-streamed");
        var ssh = paths.FirstOrDefault(p => p.Key == "ssh");
        var rate = tunnel?.Throughput?.MedianMegabytesPerSecond;
        var peer = ssh?.Throughput?.MedianMegabytesPerSecond;
        var cpu = tunnel?.Throughput?.TotalCpuSecondsPerGB;
        var rps64 = tunnel?.SmallRequests.FirstOrDefault(l => l.Concurrency == 64)?.RequestsPerSecond;
        var p50at16 = tunnel?.SmallRequests.FirstOrDefault(l => l.Concurrency == 16)?.P50Ms;
        var streamsRss = tunnel?.Streams?.ServerPeakRssMiB;
        var idle = tunnel?.Idle?.KiBPerAgent;

        var list = new List<TargetResult>();
        void AtLeast(string target, string level, double? value, double? goal, string goalText) =>
            list.Add(new(target, level, goalText, value, value is not null && goal is not null && value >= goal));
        void AtMost(string target, string level, double? value, double goal, string goalText) =>
            list.Add(new(target, level, goalText, value, value is not null && value <= goal));

        AtLeast("streamed MB/s", "resolve", rate, peer * 1.2, peer is null ? "≥ 1.2 × ssh -R (no ssh result)" : $"≥ 1.2 × ssh -R = {peer * 1.2:N0}");
        AtMost("CPU-s/GB, server + agent", "resolve", cpu, 4.0, "≤ 4.0");
        AtLeast("1 KiB req/s at c=64", "resolve", rps64, 8_700, "≥ 8,700");
        AtMost("p50 ms at c=16", "resolve", p50at16, 2.0, "≤ 2");
        AtMost("server peak RSS MiB, 64 × 32 MiB streams", "resolve", streamsRss, 200, "≤ 200");
        AtMost("server KiB per idle agent", "resolve", idle, 100, "≤ 100");
        AtLeast("streamed MB/s", "aim", rate, peer * 2, peer is null ? "≥ 2 × ssh -R (no ssh result)" : $"≥ 2 × ssh -R = {peer * 2:N0}");
        AtMost("CPU-s/GB, server + agent", "aim", cpu, 2.5, "≤ 2.5");
        AtLeast("1 KiB req/s at c=64", "aim", rps64, 16_000, "≥ 16,000");
        AtMost("p50 ms at c=16", "aim", p50at16, 1.0, "≤ 1");
        return list;
    }

    public static string Format(IReadOnlyList<TargetResult> targets, bool quick)
    {
        var text = new StringBuilder();
        text.AppendLine(quick
            ? "Issue 5 targets, tunnel streamed (quick run: small sizes, short phases — not comparable):"
            : "Issue 5 targets, tunnel streamed:");
        foreach (var t in targets)
        {
            var value = t.Value is { } v ? v.ToString(v >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture) : "—";
            text.AppendLine(CultureInfo.InvariantCulture, $"- [{(t.Met ? "x" : " ")}] {(t.Level == "aim" ? "aim" : "resolve")}: {t.Target} {t.Goal} — this run {value}");
        }

        return text.ToString();
    }
}
