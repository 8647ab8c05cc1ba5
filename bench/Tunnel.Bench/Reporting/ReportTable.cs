using System.Globalization;
using System.Text;
using Tunnel.Bench.Measurements;

namespace Tunnel.Bench.Reporting;

/// <summary>
/// The one table: a row per metric, a column per path, each cell the value and its ratio to direct. Markdown, so
/// that it pastes into RESULTS.md or README as is.
/// </summary>
internal static class ReportTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(IReadOnlyList<PathResult> paths, BenchOptions options, string agent)
    {
        var body = Size(options.BodyBytes);
        var streams = $"{options.Streams} × {Size(options.StreamBytes)}";
        var rows = new List<Row>
        {
            new($"{body} body, MB/s (median of {options.Runs})", p => p.Throughput?.MedianMegabytesPerSecond, "N0", true),
            new($"{body} body, MB/s, slowest – fastest run", _ => null, "N0", false, p => p.Throughput is { } t ? $"{t.MegabytesPerSecond.Min():N0} – {t.MegabytesPerSecond.Max():N0}" : null),
            new($"{body} body, time to first byte, ms", p => p.Throughput?.MedianTimeToFirstByteMs, "N1", true),
        };
        foreach (var c in options.Concurrencies)
        {
            rows.Add(new($"1 KiB JSON, c={c}, req/s", p => Load(p, c)?.RequestsPerSecond, "N0", true));
            rows.Add(new($"1 KiB JSON, c={c}, p50 ms", p => Load(p, c)?.P50Ms, "N2", true));
            rows.Add(new($"1 KiB JSON, c={c}, p99 ms", p => Load(p, c)?.P99Ms, "N2", true));
        }

        foreach (var n in options.WebSocketCounts)
        {
            var label = $"WebSocket {WebSocketEchoLoad.MessageBytes} B echo, {n} socket{(n == 1 ? "" : "s")}";
            rows.Add(new($"{label}, msg/s", p => Echo(p, n)?.MessagesPerSecond, "N0", true, Note: p => p.WebSocketNote));
            rows.Add(new($"{label}, p50 ms", p => Echo(p, n)?.P50Ms, "N2", true, Note: p => p.WebSocketNote));
            rows.Add(new($"{label}, p99 ms", p => Echo(p, n)?.P99Ms, "N2", true, Note: p => p.WebSocketNote));
        }

        rows.AddRange(
        [
            new("CPU-s/GB, server + home side", p => p.Throughput?.TotalCpuSecondsPerGB, "N2", false),
            new("CPU-s/GB, server side", p => p.Throughput?.ServerCpuSecondsPerGB, "N2", false),
            new("CPU-s/GB, home side", p => p.Throughput?.HomeCpuSecondsPerGB, "N2", false),
            new("CPU-s/GB, bench (client + origin)", p => p.Throughput?.BenchCpuSecondsPerGB, "N2", true),
            new($"peak RSS MiB, server side, {body} body", p => p.Throughput?.ServerPeakRssMiB, "N0", false),
            new($"peak RSS MiB, home side, {body} body", p => p.Throughput?.HomePeakRssMiB, "N0", false),
            new("RSS MiB, server side, idle / after", _ => null, "N0", false, p => Pair(p.Throughput?.ServerIdleRssMiB, p.Throughput?.ServerAfterRssMiB)),
            new("RSS MiB, home side, idle / after", _ => null, "N0", false, p => Pair(p.Throughput?.HomeIdleRssMiB, p.Throughput?.HomeAfterRssMiB)),
            new($"peak RSS MiB, server side, {streams}", p => p.Streams?.ServerPeakRssMiB, "N0", false),
            new($"peak RSS MiB, home side, {streams}", p => p.Streams?.HomePeakRssMiB, "N0", false),
            new($"{streams}, aggregate MB/s", p => p.Streams?.AggregateMegabytesPerSecond, "N0", true),
            new("idle: server MiB per 1,000 agents", p => p.Idle?.MiBPer1000Agents, "N1", false),
            new("idle: valid agent connects refused (retried)", p => p.Idle?.RefusedConnects, "N0", false),
            new("start-to-served, ms (agent / ssh)", p => p.StartToServedMs, "N0", false),
        ]);

        var direct = paths.FirstOrDefault(p => p.Key == "direct");
        var text = new StringBuilder();
        text.Append("| metric | ").AppendJoin(" | ", paths.Select(p => p.Name)).AppendLine(" |");
        text.Append("|---|").AppendJoin("", paths.Select(_ => "---:|")).AppendLine();
        text.Append("| status | ").AppendJoin(" | ", paths.Select(p => p.Ok ? "ok" : "**FAILED**")).AppendLine(" |");
        foreach (var row in rows)
        {
            text.Append("| ").Append(row.Label).Append(" | ");
            text.AppendJoin(" | ", paths.Select(p => Cell(row, p, direct)));
            text.AppendLine(" |");
        }

        text.AppendLine();
        text.Append("Server side / home side: ")
            .AppendJoin("; ", paths.Where(p => p.ServerSide is not null).Select(p => $"{p.Name}: {p.ServerSide} / {p.HomeSide ?? "—"}"))
            .AppendLine(".");
        // In the table itself, so that a copy of it (README, RESULTS.md) says which agent build its numbers are from.
        text.AppendLine(Invariant, $"Tunnel agent: {agent}.");
        text.AppendLine("Cells: value (ratio to direct). MB = 10^6 bytes, GB = 10^9 bytes; CPU-s = utime + stime from /proc/<pid>/stat.");
        text.AppendLine("Idle cost is measured on the tunnel server before its data-plane runs; both tunnel columns share that server.");
        foreach (var failed in paths.Where(p => !p.Ok))
        {
            text.Append("FAILED ").Append(failed.Name).Append(": ").AppendLine(string.Join(" | ", failed.Errors).ReplaceLineEndings(" "));
        }

        return text.ToString();
    }

    /// <summary>The WAN rows: one download per one-way delay, tunnel against ssh -R.</summary>
    public static string FormatWan(IReadOnlyList<WanResult> wan)
    {
        if (wan.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"WAN: one {Size(wan[0].BodyBytes)} download, delay proxy between home side and server side");
        text.AppendLine();
        text.AppendLine("| one-way delay (RTT) | tunnel streamed, MB/s | ssh -R, MB/s | ratio |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var row in wan)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.OneWayDelayMs} ms ({row.OneWayDelayMs * 2} ms) | {Number(row.TunnelMegabytesPerSecond, "N1")} | {Number(row.SshMegabytesPerSecond, "N1")} | {Number(row.Ratio, "0.00")} |");
        }

        return text.ToString();
    }

    private static string? Pair(double? first, double? second) =>
        first is null && second is null ? null : $"{Number(first, "N0")} / {Number(second, "N0")}";

    private static string Number(double? value, string format) => value?.ToString(format, Invariant) ?? "—";

    public static string Size(long bytes) =>
        bytes >= 1L << 20 && bytes % (1L << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes / 1024.0:0.#} KiB";

    private static LoadResult? Load(PathResult path, int concurrency) =>
        path.SmallRequests.FirstOrDefault(l => l.Concurrency == concurrency);

    private static WebSocketEchoResult? Echo(PathResult path, int sockets) =>
        path.WebSocketEcho.FirstOrDefault(e => e.Sockets == sockets);

    private static string Cell(Row row, PathResult path, PathResult? direct)
    {
        if (row.Note?.Invoke(path) is { } note)
        {
            return note;
        }

        if (row.Text is not null)
        {
            return row.Text(path) ?? "—";
        }

        var value = row.Value(path);
        if (value is null)
        {
            return "—";
        }

        var text = value.Value.ToString(row.Format, Invariant);
        if (!row.Ratio || direct is null || ReferenceEquals(direct, path) || row.Value(direct) is not { } baseline || baseline <= 0)
        {
            return text;
        }

        return $"{text} ({(value.Value / baseline).ToString("0.00", Invariant)}×)";
    }

    private sealed record Row(
        string Label, Func<PathResult, double?> Value, string Format, bool Ratio, Func<PathResult, string?>? Text = null, Func<PathResult, string?>? Note = null);
}
