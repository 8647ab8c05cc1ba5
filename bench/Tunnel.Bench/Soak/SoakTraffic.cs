using System.Globalization;

namespace Tunnel.Bench.Soak;

/// <summary>
/// The soak's workers: each draws requests (<see cref="SoakRequest.Draw"/>, seeded per worker so that runs repeat),
/// sends them one after the other through the <see cref="SoakResponseChecker"/> until the end time, and files every
/// outcome in the <see cref="SoakLedger"/>.
/// </summary>
internal sealed class SoakTraffic(SoakResponseChecker checker, SoakLedger ledger)
{
    /// <summary>Runs <paramref name="workers"/> workers until <paramref name="endAt"/> (ledger seconds).</summary>
    public Task RunAsync(int workers, double endAt, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w, endAt, ct), CancellationToken.None)));

    private async Task WorkerAsync(int worker, double endAt, CancellationToken ct)
    {
        var rng = new Random(1000 + worker);
        long seq = 0;
        while (ledger.Now < endAt && !ct.IsCancellationRequested)
        {
            var request = SoakRequest.Draw(rng, string.Create(CultureInfo.InvariantCulture, $"w{worker}-{seq++}"));
            var start = ledger.Now;
            ledger.RequestStarted();
            var outcome = await checker.SendAsync(request, ct);
            ledger.RequestEnded(request, outcome, start, ledger.Now);
            if (outcome.Kind == SoakOutcomeKind.Visible)
            {
                // Do not spin on instant 424s / refused connections while the tunnel is down.
                await Task.Delay(100 + rng.Next(100), CancellationToken.None);
            }
        }
    }
}
