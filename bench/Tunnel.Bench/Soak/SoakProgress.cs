namespace Tunnel.Bench.Soak;

/// <summary>The soak's progress lines (stderr, with the time of day) and its half-minute status line.</summary>
internal static class SoakProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    public static void Write(string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] soak: {message}");

    /// <summary>Every 30 s: requests, failures, bytes and peak RSS so far, until <paramref name="stop"/>.</summary>
    public static async Task RunAsync(SoakLedger ledger, SoakSampler sampler, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, stop);
                Write($"{ledger.Now / 60:0.0} min: {ledger.Requests} requests, {ledger.Ok} ok, {ledger.VisibleFailureCount} visible failures, {ledger.RealErrorCount} real errors, {(ledger.ResponseBytes + ledger.UploadBytes) / 1e9:0.00} GB; RSS server {sampler.MaxServerRss / 1048576.0:0} MiB max, agent {sampler.MaxAgentRss / 1048576.0:0} MiB max");
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }
}
