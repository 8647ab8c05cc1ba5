using System.Globalization;
using System.Security;
using System.Text;

namespace Tunnel.Bench.Reporting;

/// <summary>
/// The chart, written by hand as SVG: large-body throughput per path, and p50 latency of small requests per path at
/// each concurrency. Horizontal bars with their values, so it reads without axes.
/// </summary>
internal static class SvgChart
{
    private const int Width = 960;
    private const int LabelWidth = 170;
    private const int BarArea = Width - LabelWidth - 110;
    private const int BarHeight = 22;
    private static readonly string[] SeriesColors = ["#4e79a7", "#f28e2b", "#e15759"];

    public static string Render(IReadOnlyList<PathResult> paths, BenchOptions options, MachineInfo machine, string agent)
    {
        var svg = new StringBuilder();
        var y = 0.0;
        var body = new StringBuilder();

        Text(body, 20, y += 30, $"Tunnel benchmark — {machine.Cores} cores, {machine.MemoryGiB} GiB, {machine.Runtime}{(options.Quick ? " (quick smoke run)" : "")}", 18, "bold");
        Text(body, 20, y += 34, $"Throughput, {ReportTable.Size(options.BodyBytes)} body (MB/s, median of {options.Runs}; higher is better)", 15, "bold");
        y += 12;
        var maxRate = Math.Max(1, paths.Max(p => p.Throughput?.MedianMegabytesPerSecond ?? 0));
        foreach (var path in paths)
        {
            var rate = path.Throughput?.MedianMegabytesPerSecond;
            Text(body, LabelWidth - 10, y + 16, path.Name, 13, anchor: "end");
            Bar(body, y, rate, maxRate, SeriesColors[0], rate is null ? "failed" : $"{rate:N0} MB/s");
            y += BarHeight + 8;
        }

        Text(body, 20, y += 30, "Small requests (1 KiB JSON), p50 latency in ms (lower is better)", 15, "bold");
        y += 8;
        var legendX = 20.0;
        for (var i = 0; i < options.Concurrencies.Count; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"{y + 4}\" width=\"12\" height=\"12\" fill=\"{SeriesColors[i % SeriesColors.Length]}\"/>");
            Text(body, legendX + 18, y + 15, $"concurrency {options.Concurrencies[i]}", 12);
            legendX += 140;
        }

        y += 26;
        var maxLatency = Math.Max(0.001, paths.SelectMany(p => p.SmallRequests).Select(l => l.P50Ms).DefaultIfEmpty(0).Max());
        foreach (var path in paths)
        {
            Text(body, LabelWidth - 10, y + 8 + 16, path.Name, 13, anchor: "end");
            for (var i = 0; i < options.Concurrencies.Count; i++)
            {
                var load = path.SmallRequests.FirstOrDefault(l => l.Concurrency == options.Concurrencies[i]);
                double? p50 = load?.P50Ms;
                Bar(body, y, p50, maxLatency, SeriesColors[i % SeriesColors.Length], p50 is null ? "failed" : $"{p50:0.00} ms", BarHeight - 6);
                y += BarHeight - 6 + 3;
            }

            y += 12;
        }

        Text(body, 20, y += 14, $"{machine.Cpu}; {machine.Os}; commit {machine.GitCommit}; tunnel agent: {agent}. Same machine, loopback, one run.", 11, fill: "#555");
        y += 16;

        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{y:0}\" viewBox=\"0 0 {Width} {y:0}\" font-family=\"Helvetica, Arial, sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{y:0}\" fill=\"white\"/>\n");
        svg.Append(body);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Bar(StringBuilder svg, double y, double? value, double max, string color, string label, int height = BarHeight)
    {
        var width = value is null ? 0 : Math.Max(1, value.Value / max * BarArea);
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y:0.#}\" width=\"{width:0.#}\" height=\"{height}\" fill=\"{color}\"/>\n");
        Text(svg, LabelWidth + width + 6, y + height / 2.0 + 4.5, label, 12);
    }

    private static void Text(StringBuilder svg, double x, double y, string text, int size, string weight = "normal", string anchor = "start", string fill = "#222") =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\" font-weight=\"{weight}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{SecurityElement.Escape(text)}</text>\n");
}
