using System.Globalization;
using System.Text;

namespace Tunnel.Bench.Soak;

/// <summary>Renders <see cref="SoakSummary"/> as <c>bench/SOAK.md</c>.</summary>
internal static class SoakMarkdown
{
    public static string Render(SoakSummary s, string jsonPath)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

        Line("# Soak: mixed traffic with agent and server kills (issue 6)");
        Line();
        Line($"Last run: {s.StartedAt:yyyy-MM-dd HH:mm} UTC, {F(s.ElapsedSeconds / 60)} min (planned {F(s.PlannedMinutes)}), written by the run itself (raw numbers: `{jsonPath}`).");
        Line();
        Line("```");
        Line(s.Command + "    # what bench/soak.sh " + F(s.PlannedMinutes) + " runs");
        Line("```");
        Line();
        Line($"Machine: {s.Machine.Cores} cores, {s.Machine.MemoryGiB} GiB, {s.Machine.Cpu}; {s.Machine.Os}; {s.Machine.Runtime}; commit {s.Machine.GitCommit}" +
             (string.IsNullOrEmpty(s.UncommittedTunnelChanges) ? "." : $" plus uncommitted changes in the tunnel's code at the time (`{s.UncommittedTunnelChanges.Replace("\n", "`, `", StringComparison.Ordinal)}`)."));
        Line();
        Line($"Agent: {s.Agent}.");
        Line();
        Line($"**Result: {(s.RealErrorCount == 0 && s.SetupError is null ? "PASS" : "FAIL")}** — {s.RealErrorCount} real errors.");
        Line();
        Line("| | |");
        Line("|---|---|");
        Line($"| requests | {s.Requests:N0} ({s.Ok:N0} ok) |");
        Line($"| bytes verified | {s.ResponseBytes / 1e9:0.00} GB of responses + {s.UploadBytes / 1e9:0.00} GB of uploads ({F(s.AverageMBps)} MB/s average) |");
        Line($"| expected failures (inside kill windows, all visible) | {s.ExpectedFailures:N0}: {Join(s.ExpectedFailuresByCategory)} |");
        Line($"| real errors | {s.RealErrorCount}{(s.RealErrorCount == 0 ? "" : ": " + Join(s.RealErrorsByCategory))} |");
        Line($"| max server RSS | {F(s.MaxServerRssMiB)} MiB |");
        Line($"| max agent RSS | {F(s.MaxAgentRssMiB)} MiB |");
        Line($"| small requests (≤ 16 KiB), ok | p50 {F(s.SmallOkP50Ms)} ms, p99 {F(s.SmallOkP99Ms)} ms |");
        Line($"| concurrent workers | {s.Workers} |");
        Line($"| end state | /health connectedAgents = {s.FinalConnectedAgents}, serving: {(s.FinalServed ? "yes" : "no")} |");
        if (s.SetupError is not null)
        {
            Line($"| setup error | {s.SetupError.ReplaceLineEndings(" ")} |");
        }

        Line();
        Line("## Kills");
        Line();
        Line("Recovery = from the SIGKILL to the end of the first successful request started after it. Agent: restarted 1 s after the kill (as a supervisor would). Server: restarted at once on the same port and SQLite file; the agent (not restarted) reconnects by itself.");
        Line();
        Line("| # | killed | at (s of traffic) | in flight | back up after (s) | recovery (s) | restart → served (s) | expected failures | last failure after kill (s) |");
        Line("|---|---|---|---|---|---|---|---|---|");
        foreach (var k in s.Kills)
        {
            Line($"| {k.Number} | {k.Target} | {F(k.AtSeconds)} | {k.InFlightAtKill} | {F(k.RestartSeconds)} | {(k.RecoverySeconds is { } r ? F(r) : "**never**")} | {(k.RestartToServedSeconds is { } x ? F(x) : "–")} | {k.ExpectedFailures} | {F(k.LastFailureAfterKillSeconds)} |");
        }

        if (s.RealErrors.Count > 0)
        {
            Line();
            Line("## Real errors (first 50)");
            Line();
            foreach (var e in s.RealErrors)
            {
                Line("- `" + e.ReplaceLineEndings(" ").Replace("`", "'", StringComparison.Ordinal) + "`");
            }
        }

        Line();
        Line("## Memory over time (peak RSS per minute since the server first started, MiB)");
        Line();
        Line("| minute | server | agent |");
        Line("|---|---|---|");
        foreach (var p in s.RssByMinuteMiB)
        {
            Line($"| {p.Minute} | {F(p.ServerMiB)} | {F(p.AgentMiB)} |");
        }

        Line();
        Line("## Requests by kind (ok / failed)");
        Line();
        Line("| kind | ok | failed |");
        Line("|---|---|---|");
        foreach (var key in s.OkByKind.Keys.Union(s.FailedByKind.Keys).Order(StringComparer.Ordinal))
        {
            Line($"| {key} | {s.OkByKind.GetValueOrDefault(key):N0} | {s.FailedByKind.GetValueOrDefault(key):N0} |");
        }

        Line();
        Line("## What the soak does");
        Line();
        Line("`bench/soak.sh [minutes]` (default 30; fractions allowed, e.g. `0.5`) runs `dotnet run -c Release --project bench/Tunnel.Bench -- --soak MINUTES`. " +
             "It starts the bench origin (in process), `Tunnel.Server` (SQLite, buffered cap raised to 128 MiB) and `Tunnel.Agent` as child processes on loopback, then:");
        Line();
        Line("- **Traffic**: N workers (default 16) back to back. Per request, at random: 50 % 0–16 KiB, 20 % 16 KiB–1 MiB, 14 % 1–8 MiB, 1 % 32–64 MiB, " +
             "8 % `Range` requests (`a-b`, `a-`, `-n`) into 1–64 MiB files, 7 % uploads (POST, 0–8 MiB); 40 % of all with `X-Tunnel-Response: buffered`, the rest streamed.");
        Line("- **Checks**: every body is the origin's deterministic pattern starting at a per-request random offset and is compared byte for byte " +
             "(stronger than a hash); the origin echoes the request's `X-Soak-Id`, which must match (no mix-ups); 206 must carry the right `Content-Range`; " +
             "`Content-Length` must match; uploads are checked byte for byte by the origin, which also returns their SHA-256, compared with the SHA-256 of what was sent.");
        Line("- **Faults**: every 3 min (a third of the run when shorter) SIGKILL of the agent, restarted after 1 s; at ~40 % and ~80 % of the run (once in runs under 15 min) SIGKILL of the server instead.");
        Line("- **Outcomes**: *ok*; *expected failure* — a visible failure (connection error, aborted body, 424, 502, 503) that ends between a kill and 5 s after the first success after it; " +
             "*real error* — a corrupted, wrong, long or short 2xx body, a wrong `X-Soak-Id`/`Content-Range`, a 500 or any other status, a request not finished within 30 s + 1 s/MiB (hang), " +
             "any failure outside a kill window, no recovery within 60 s of a kill, a process dying by itself, or not exactly one agent connected at the end. The exit code is non-zero on any real error.");
        Line("- **Memory**: VmRSS of the server and agent processes from /proc every second.");
        return md.ToString();
    }

    private static string Join(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:N0}"));
}
