namespace Tunnel.Bench.Measurements;

/// <summary>Median and percentiles by the nearest-rank method.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The <paramref name="percent"/>th percentile of values already sorted ascending.</summary>
    public static double Percentile(long[] sortedTicks, double percent, double ticksPerMs)
    {
        if (sortedTicks.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sortedTicks.Length);
        return sortedTicks[Math.Clamp(rank - 1, 0, sortedTicks.Length - 1)] / ticksPerMs;
    }

    public static double MiB(long bytes) => Math.Round(bytes / (double)(1 << 20), 1);
}
