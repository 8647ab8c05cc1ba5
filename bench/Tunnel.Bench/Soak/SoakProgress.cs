using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Soak;

/// <summary>
/// The soak's progress on stderr: log lines with the time of day, and a <see cref="StatusLine"/> with the share of
/// the run done and the counts so far — redrawn every second on a terminal, a plain line every 30 s otherwise.
/// </summary>
internal static class SoakProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static readonly StatusLine Status = StatusLine.ForStderr(TimeSpan.FromSeconds(30));

    public static void Write(string message) =>
        Status.Line($"[{DateTime.UtcNow:HH:mm:ss}] soak: {message}");

    /// <summary>
    /// Until <paramref name="stop"/>: time into the run of <paramref name="duration"/>, requests, failures, bytes and
    /// peak RSS so far.
    /// </summary>
    public static async Task RunAsync(SoakLedger ledger, SoakSampler sampler, double trafficStart, TimeSpan duration, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var minutes = (ledger.Now - trafficStart) / 60;
                Status.Update(minutes / duration.TotalMinutes,
                    $"{minutes:0.0}/{duration.TotalMinutes:0.#} min: {ledger.Requests:N0} requests, {ledger.Ok:N0} ok, {ledger.VisibleFailureCount} visible failures, {ledger.RealErrorCount} real errors, {(ledger.ResponseBytes + ledger.UploadBytes) / 1e9:0.00} GB; RSS server {sampler.MaxServerRss / 1048576.0:0} MiB max, agent {sampler.MaxAgentRss / 1048576.0:0} MiB max");
                await Task.Delay(Interval, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
            Status.Clear();
        }
    }
}
