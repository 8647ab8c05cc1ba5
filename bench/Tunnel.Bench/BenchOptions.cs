using System.Globalization;
using System.Reflection;

namespace Tunnel.Bench;

/// <summary>
/// Command line: <c>[--quick] [--out PATH] [--runs N] [--agents N] [--db sqlite|mysql] [--mysql-connection CS]
/// [--server-dll PATH] [--agent-exe PATH | --agent-dll PATH] [--keep-temp]</c>. <c>--quick</c> is the CI smoke run:
/// small sizes, one run, short load phases; it checks that every path works.
/// </summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        Tunnel.Bench: the tunnel against direct access, nginx and ssh -R, on loopback, in one run.

          dotnet run -c Release --project bench/Tunnel.Bench -- [options]

          --quick                 smoke run (small sizes, 1 run, ~1 min after the agent's publish); exits
                                  non-zero if any path fails
          --out PATH              JSON results (default bench/results/latest.json; chart.svg beside it)
          --runs N                measured 256 MiB transfers per path (default 5; median reported)
          --agents N              idle agents connected for the idle-cost test (default 1000; quick 200)
          --db sqlite|mysql       the server's database (default sqlite, a fresh file)
          --mysql-connection CS   MySQL/MariaDB to use with --db mysql (default: env TUNNEL_BENCH_MYSQL,
                                  else a throwaway mariadbd on a loopback port)
          --server-dll PATH       Tunnel.Server.dll to run (default: the one built beside this bench)
          --agent-exe PATH        the native agent executable to run, e.g. a Native AOT publish (default: the
                                  bench first publishes the agent as it ships, Native AOT for this machine:
                                  dotnet publish Tunnel.Agent -c Release -r <RID> -p:PublishAot=true, into
                                  bench/Tunnel.Bench/obj/agent-aot/<RID>/; seconds when nothing changed)
          --agent-dll PATH        run this Tunnel.Agent.dll under dotnet (JIT) instead, for comparison, e.g.
                                  Tunnel.Agent/bin/Release/net10.0/Tunnel.Agent.dll (built with the bench)
          --keep-temp             keep the temp dir (configs, child logs) even after a clean run
          --hop / --no-hop        measure a second server node that must hop to the agent's node (issue 12;
                                  default on for full runs, off for --quick)
          --origin nginx|app      the origin every path reaches: nginx serving files from disk (default), or
                                  the bench's in-process Kestrel app (same URLs, same bytes)
          --body MIB              size of the large body (default 256; quick 8)
          --wan-body MIB          the WAN rows' download (default 64; quick 4)
          --wan-delays MS,MS      one-way delays of the WAN rows (default 10,25,100; quick 25; 0 = none)

        Soak (issue 6): mixed traffic with periodic SIGKILLs of the agent and the server, every body checked.

          --soak MINUTES          run the soak instead of the benchmark (fractions allowed, e.g. 0.5)
          --workers N             concurrent request loops of the soak (default 16)
          --soak-out PATH         soak JSON (default bench/results/soak-latest.json)
          --soak-md PATH          soak Markdown (default bench/SOAK.md)
        """;

    public bool Quick { get; private set; }

    public string OutPath { get; private set; } = string.Empty;

    public int Runs { get; private set; }

    public int WarmupRuns { get; private set; }

    public int IdleAgents { get; private set; }

    public bool UseMySql { get; private set; }

    public string? MySqlConnection { get; private set; }

    public string ServerDll { get; private set; } = string.Empty;

    /// <summary>The native agent to run (<c>--agent-exe</c>); null: the bench publishes it.</summary>
    public string? AgentExe { get; private set; }

    /// <summary>The agent dll to run under dotnet (<c>--agent-dll</c>); null: the native agent runs.</summary>
    public string? AgentDll { get; private set; }

    public bool KeepTemp { get; private set; }

    /// <summary>Also measure the "tunnel hop" path: a second node of a cluster that forwards to the agent's node.</summary>
    public bool Hop { get; private set; }
    /// <summary>True: every path reaches nginx serving files from disk; false: the in-process Kestrel origin.</summary>
    public bool NginxOrigin { get; private set; } = true;

    /// <summary>One-way delays (ms) of the WAN rows; empty for none.</summary>
    public IReadOnlyList<int> WanDelaysMs { get; private set; } = [];

    /// <summary>The body downloaded once per WAN row.</summary>
    public long WanBytes { get; private set; }

    /// <summary>Minutes of soak; null for the benchmark.</summary>
    public double? SoakMinutes { get; private set; }

    public int SoakWorkers { get; private set; } = 16;

    public string SoakOutPath { get; private set; } = string.Empty;

    public string SoakMarkdownPath { get; private set; } = string.Empty;

    /// <summary>The repository root (where Tunnel.sln is), or null when the bench runs outside a clone.</summary>
    public string? RepoRoot { get; private set; }

    public long BodyBytes { get; private set; }

    public int Streams { get; private set; }

    public long StreamBytes { get; private set; }

    public IReadOnlyList<int> Concurrencies { get; } = [1, 16, 64];

    /// <summary>Numbers of concurrent WebSockets of the /ws round-trip measurement.</summary>
    public IReadOnlyList<int> WebSocketCounts { get; } = [1, 100];

    public TimeSpan LoadWarmup { get; private set; }

    public TimeSpan LoadDuration { get; private set; }

    /// <summary>
    /// Warm-up of each /ws round-trip measurement, longer than <see cref="LoadWarmup"/>: the relay's code runs for the
    /// first time there, and until the runtime has recompiled it (tier 1, in the background) a round trip through a
    /// fresh server and agent took ~4 ms instead of ~0.2 ms on a busy 2-core box for up to about a second (measured;
    /// with DOTNET_TieredCompilation=0 the first measurement was fast at once). The HTTP rows are warm by then.
    /// </summary>
    public TimeSpan WebSocketWarmup { get; private set; }

    public TimeSpan IdleSettle { get; private set; }

    /// <summary>
    /// The run is cancelled past this (issue 5: under 10 min, quick under 2 min). Its clock starts after the agent's
    /// publish, which is bounded on its own (<see cref="Processes.AgentPublisher.Timeout"/>).
    /// </summary>
    public TimeSpan Budget { get; private set; }

    /// <summary>Parses the arguments; null with <paramref name="error"/> set when they are wrong or help was asked.</summary>
    public static BenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var o = new BenchOptions { RepoRoot = FindRepoRoot() };
        int? runs = null;
        int? agents = null;
        string? outPath = null;
        string? soakOut = null;
        string? soakMd = null;
        bool? hop = null;
        int[]? wan = null;
        long? body = null;
        long? wanBody = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            try
            {
                switch (arg)
                {
                    case "--quick": o.Quick = true; break;
                    case "--out": outPath = Next(); break;
                    case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--agents": agents = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--db":
                        var db = Next().ToLowerInvariant();
                        o.UseMySql = db is "mysql" or "mariadb" ? true : db == "sqlite" ? false : throw new ArgumentException("--db is sqlite or mysql");
                        break;
                    case "--mysql-connection": o.MySqlConnection = Next(); break;
                    case "--server-dll": o.ServerDll = Path.GetFullPath(Next()); break;
                    case "--agent-exe": o.AgentExe = Path.GetFullPath(Next()); break;
                    case "--agent-dll": o.AgentDll = Path.GetFullPath(Next()); break;
                    case "--keep-temp": o.KeepTemp = true; break;
                    case "--hop": hop = true; break;
                    case "--no-hop": hop = false; break;
                    case "--origin":
                        var origin = Next().ToLowerInvariant();
                        o.NginxOrigin = origin == "nginx" ? true : origin == "app" ? false : throw new ArgumentException("--origin is nginx or app");
                        break;
                    case "--body":
                        var mib = long.Parse(Next(), CultureInfo.InvariantCulture);
                        body = mib is > 0 and <= 4096 ? mib << 20 : throw new ArgumentException("--body is 1..4096 MiB");
                        break;
                    case "--wan-body":
                        var wanMib = long.Parse(Next(), CultureInfo.InvariantCulture);
                        wanBody = wanMib is > 0 and <= 4096 ? wanMib << 20 : throw new ArgumentException("--wan-body is 1..4096 MiB");
                        break;
                    case "--wan-delays":
                        wan = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(d => int.Parse(d, CultureInfo.InvariantCulture)).Where(d => d > 0)];
                        break;
                    case "--soak":
                        var minutes = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture);
                        o.SoakMinutes = minutes is > 0 and <= 24 * 60 ? minutes : throw new ArgumentException("--soak is 0 < minutes <= 1440");
                        break;
                    case "--workers": o.SoakWorkers = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, 256); break;
                    case "--soak-out": soakOut = Next(); break;
                    case "--soak-md": soakMd = Next(); break;
                    case "-h" or "--help": error = Usage; return null;
                    default: throw new ArgumentException($"unknown option {arg}");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
            {
                error = ex.Message + "\n\n" + Usage;
                return null;
            }
        }

        o.Runs = Math.Clamp(runs ?? (o.Quick ? 1 : 5), 1, 20);
        // Three: after one, the agent of the first tunnel column still spent a third more CPU per GB than the same
        // agent in the next column (tier-1 recompilation not yet in; issue 13).
        o.WarmupRuns = o.Quick ? 0 : 3;
        o.IdleAgents = Math.Clamp(agents ?? (o.Quick ? 200 : 1000), 1, 5000);
        o.BodyBytes = body ?? (o.Quick ? 8L << 20 : 256L << 20);
        o.Streams = 64;
        o.StreamBytes = o.Quick ? 1L << 20 : 32L << 20;
        o.LoadWarmup = TimeSpan.FromSeconds(o.Quick ? 0.2 : 1);
        o.LoadDuration = TimeSpan.FromSeconds(o.Quick ? 0.5 : 3);
        o.WebSocketWarmup = TimeSpan.FromSeconds(2);
        o.IdleSettle = TimeSpan.FromSeconds(o.Quick ? 1 : 6);
        o.WanDelaysMs = wan ?? (o.Quick ? [25] : [10, 25, 100]);
        o.WanBytes = wanBody ?? (o.Quick ? 4L << 20 : 64L << 20);
        o.Hop = hop ?? !o.Quick;
        // The hop path is one more tunnel path to measure.
        o.Budget = TimeSpan.FromSeconds((o.Quick ? 115 : 720) + (o.Hop ? (o.Quick ? 30 : 150) : 0));
        o.MySqlConnection ??= o.UseMySql ? Environment.GetEnvironmentVariable("TUNNEL_BENCH_MYSQL") : null;
        if (string.IsNullOrEmpty(o.MySqlConnection))
        {
            o.MySqlConnection = null;
        }

        var resultsDir = o.RepoRoot is null ? Path.GetFullPath("results") : Path.Combine(o.RepoRoot, "bench", "results");
        o.OutPath = Path.GetFullPath(outPath ?? Path.Combine(resultsDir, "latest.json"));
        o.SoakOutPath = Path.GetFullPath(soakOut ?? Path.Combine(resultsDir, "soak-latest.json"));
        o.SoakMarkdownPath = Path.GetFullPath(soakMd ?? Path.Combine(Path.GetDirectoryName(resultsDir)!, "SOAK.md"));
        if (o.ServerDll.Length == 0)
        {
            o.ServerDll = BuiltBinary("Tunnel.Server", o.RepoRoot);
        }

        if (!File.Exists(o.ServerDll))
        {
            error = $"{o.ServerDll} not found: build the bench (it references the server) or pass --server-dll.";
            return null;
        }

        error = AgentError(o);
        return error is null ? o : null;
    }

    /// <summary>Why the agent options cannot work, or null when they can.</summary>
    private static string? AgentError(BenchOptions o)
    {
        if (o.AgentExe is not null && o.AgentDll is not null)
        {
            return "--agent-exe and --agent-dll exclude each other.";
        }

        if (o.AgentExe is not null || o.AgentDll is not null)
        {
            var given = o.AgentExe ?? o.AgentDll!;
            return File.Exists(given) ? null : $"{given} not found.";
        }

        return o.RepoRoot is not null && File.Exists(Path.Combine(o.RepoRoot, "Tunnel.Agent", "Tunnel.Agent.csproj"))
            ? null
            : "no clone to publish the agent from (Tunnel.sln with Tunnel.Agent/ above this bench or the current directory): pass --agent-exe or --agent-dll.";
    }

    /// <summary>
    /// The dll the bench's build built (its path is embedded by Tunnel.Bench.csproj), else the same configuration's
    /// output in the clone.
    /// </summary>
    private static string BuiltBinary(string name, string? repoRoot)
    {
        var embedded = typeof(BenchOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TunnelBinary:" + name)?.Value;
        if (embedded is not null && File.Exists(embedded))
        {
            return embedded;
        }

        // bin/<Configuration>/<tfm>/ of the bench → the same of the project.
        var tfm = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)));
        return repoRoot is null ? embedded ?? name + ".dll" : Path.Combine(repoRoot, name, "bin", configuration ?? "Release", tfm, name + ".dll");
    }

    private static string? FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Tunnel.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
