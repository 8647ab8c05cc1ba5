using System.Globalization;
using System.Text;
using System.Text.Json;
using Tunnel.Bench.Measurements;
using Tunnel.Bench.Origin;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Soak;

/// <summary>
/// The soak's verdict and report: each visible failure must fall within a kill's window (from the kill to 5 s after
/// its recovery), any other one becomes a real error; then the summary is printed, written as JSON and rendered
/// into <c>bench/SOAK.md</c>.
/// </summary>
internal static class SoakReport
{
    /// <summary>After the first success following a kill, visible failures are still expected for this long.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private const string OutsideWindow = "failure outside a kill window";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static SoakSummary Summarise(SoakLedger ledger, SoakSampler rss, SoakRunFacts run)
    {
        var events = ledger.Events();
        var expected = new Dictionary<string, long>();
        var failures = ledger.Failures();
        foreach (var failure in failures)
        {
            var window = events.FirstOrDefault(e => failure.End >= e.KillAt && failure.End <= (e.RecoveredAt ?? e.KillAt + SoakFaultScheduler.RecoveryLimit.TotalSeconds) + Grace.TotalSeconds);
            if (window is null)
            {
                ledger.Real(failure.End, OutsideWindow, $"{failure.Request}: {failure.Detail} (started at {failure.Start:0.0} s, failed at {failure.End:0.0} s)");
                continue;
            }

            window.ExpectedFailures++;
            window.LastFailureAfterKill = Math.Max(window.LastFailureAfterKill, failure.End - window.KillAt);
            expected[failure.Category] = expected.GetValueOrDefault(failure.Category) + 1;
        }

        var realErrors = ledger.RealErrors();
        var small = ledger.SortedSmallOkMicroseconds();
        var elapsed = (run.FinishedAt - run.StartedAt).TotalSeconds;
        return new SoakSummary
        {
            Command = run.CommandLine,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            PlannedMinutes = run.Duration.TotalMinutes,
            ElapsedSeconds = Math.Round(elapsed, 1),
            Workers = run.Workers,
            Machine = run.Machine,
            Agent = run.Agent,
            UncommittedTunnelChanges = run.UncommittedTunnelChanges,
            SetupError = run.SetupError,
            Requests = ledger.Requests,
            Ok = ledger.Ok,
            ExpectedFailures = failures.Length - realErrors.Count(r => r.Category == OutsideWindow),
            ExpectedFailuresByCategory = expected,
            RealErrorCount = realErrors.Length,
            RealErrorsByCategory = realErrors.GroupBy(r => r.Category).ToDictionary(g => g.Key, g => (long)g.Count()),
            RealErrors = [.. realErrors.OrderBy(r => r.At).Take(50).Select(r => $"{r.At:0.0} s [{r.Category}] {r.Detail}")],
            OkByKind = new SortedDictionary<string, long>(ledger.OkByKind.ToDictionary()),
            FailedByKind = new SortedDictionary<string, long>(ledger.FailedByKind.ToDictionary()),
            ResponseBytes = ledger.ResponseBytes,
            UploadBytes = ledger.UploadBytes,
            AverageMBps = elapsed > 0 ? Math.Round((ledger.ResponseBytes + ledger.UploadBytes) / 1e6 / elapsed, 1) : 0,
            SmallOkP50Ms = Math.Round(Stats.Percentile(small, 50, 1000), 1),
            SmallOkP99Ms = Math.Round(Stats.Percentile(small, 99, 1000), 1),
            MaxServerRssMiB = Stats.MiB(rss.MaxServerRss),
            MaxAgentRssMiB = Stats.MiB(rss.MaxAgentRss),
            RssByMinuteMiB = [.. rss.ByMinute().Select(t => new RssPoint(t.Minute, Stats.MiB(t.Server), Stats.MiB(t.Agent)))],
            Kills = [.. events.Select(e => new KillResult(
                e.Number,
                e.Target,
                Math.Round(e.KillAt - run.TrafficStart, 1),
                e.InFlightAtKill,
                Math.Round(e.RestartedAt - e.KillAt, 2),
                e.RecoveredAt is { } r ? Math.Round(r - e.KillAt, 2) : null,
                e.RecoveredAt is { } r2 ? Math.Round(r2 - e.RestartedAt, 2) : null,
                e.ExpectedFailures,
                Math.Round(e.LastFailureAfterKill, 2)))],
            OriginShortUploads = SoakEndpoints.ShortUploads,
            FinalConnectedAgents = run.FinalConnectedAgents,
            FinalServed = run.FinalServed,
        };
    }

    public static void Print(SoakSummary s)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Soak: {s.ElapsedSeconds / 60:0.0} min, {s.Workers} workers, {s.Machine.Cores} cores / {s.Machine.MemoryGiB} GiB; agent: {s.Agent}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  requests {s.Requests}, ok {s.Ok}, expected failures {s.ExpectedFailures}, REAL ERRORS {s.RealErrorCount}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  bytes: responses {s.ResponseBytes / 1e9:0.00} GB, uploads {s.UploadBytes / 1e9:0.00} GB, {s.AverageMBps} MB/s average");
        text.AppendLine(CultureInfo.InvariantCulture, $"  max RSS: server {s.MaxServerRssMiB} MiB, agent {s.MaxAgentRssMiB} MiB; small requests p50 {s.SmallOkP50Ms} ms, p99 {s.SmallOkP99Ms} ms");
        foreach (var k in s.Kills)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  kill {k.Number} {k.Target} at {k.AtSeconds} s: restart {k.RestartSeconds} s, recovered {k.RecoverySeconds?.ToString(CultureInfo.InvariantCulture) ?? "NEVER"} s after the kill, {k.ExpectedFailures} expected failures");
        }

        foreach (var e in s.RealErrors)
        {
            text.AppendLine("  real error: " + e);
        }

        Console.WriteLine(text.ToString());
    }

    public static void Write(SoakSummary s, string jsonPath, string markdownPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(s, Json));
        File.WriteAllText(markdownPath, SoakMarkdown.Render(s, Path.GetRelativePath(Path.GetDirectoryName(markdownPath)!, jsonPath)));
        SoakProgress.Write($"wrote {jsonPath} and {markdownPath}");
    }

    /// <summary><c>git status --porcelain</c> of the server, agent and contracts (empty: clean, or not a checkout).</summary>
    public static async Task<string> UncommittedTunnelChangesAsync(string? repoRoot, CancellationToken ct)
    {
        if (repoRoot is null)
        {
            return string.Empty;
        }

        try
        {
            var (code, output) = await Command.RunAsync("git", ["-C", repoRoot, "status", "--porcelain", "--", "Tunnel.Server", "Tunnel.Agent", "Tunnel.Contracts"], TimeSpan.FromSeconds(10), ct);
            return code == 0 ? output.Trim() : string.Empty;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
        {
            return string.Empty;
        }
    }
}
