using System.Diagnostics;
using System.Globalization;

namespace Tunnel.Bench.Processes;

/// <summary>
/// What Linux says about a process in /proc: CPU time (utime + stime of /proc/pid/stat), resident memory
/// (VmRSS, VmHWM of /proc/pid/status) and its children. Missing processes read as zero.
/// </summary>
internal static class ProcFs
{
    private static readonly Lazy<double> TicksPerSecond = new(ReadClockTicks);

    /// <summary>CPU seconds (user + system) the process has used so far, not counting waited-for children.</summary>
    public static double CpuSeconds(int pid)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return 0;
        }

        // Fields after "(comm)": [0] state, [1] ppid, ... [11] utime, [12] stime (stat(5) fields 14 and 15).
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond.Value;
    }

    public static double CpuSeconds(IEnumerable<int> pids) => pids.Sum(CpuSeconds);

    /// <summary>Current resident set in bytes (VmRSS), 0 when the process is gone.</summary>
    public static long RssBytes(int pid) => StatusKiB(pid, "VmRSS:") * 1024;

    /// <summary>Peak resident set in bytes since start or the last <see cref="TryResetPeak"/> (VmHWM).</summary>
    public static long PeakRssBytes(int pid) => StatusKiB(pid, "VmHWM:") * 1024;

    /// <summary>Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux ≥ 4.0); false when not allowed.</summary>
    public static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The process and all its live descendants.</summary>
    public static IReadOnlyList<int> Tree(int root)
    {
        var parents = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var fields = StatFields(pid);
            if (fields is null)
            {
                continue;
            }

            var ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (!parents.TryGetValue(ppid, out var children))
            {
                parents[ppid] = children = [];
            }

            children.Add(pid);
        }

        var result = new List<int>();
        var pending = new Stack<int>();
        pending.Push(root);
        while (pending.Count > 0 && result.Count < 10_000)
        {
            var pid = pending.Pop();
            result.Add(pid);
            if (parents.TryGetValue(pid, out var children))
            {
                foreach (var child in children)
                {
                    pending.Push(child);
                }
            }
        }

        return result;
    }

    /// <summary>The live direct children of a process.</summary>
    public static IReadOnlyList<int> Children(int parent) => [.. Tree(parent).Skip(1).Where(p => Parent(p) == parent)];

    public static int Parent(int pid) =>
        StatFields(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : 0;

    /// <summary>
    /// CPU seconds this process and its reaped children have used (utime + stime + cutime + cstime): once every
    /// child was killed and waited for, everything the bench started.
    /// </summary>
    public static double SelfAndChildrenCpuSeconds()
    {
        var fields = StatFields(Environment.ProcessId);
        if (fields is null)
        {
            return 0;
        }

        long ticks = 0;
        for (var i = 11; i <= 14; i++)
        {
            ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerSecond.Value;
    }

    /// <summary>CPU seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait).</summary>
    public static double MachineBusyCpuSeconds()
    {
        var line = File.ReadLines("/proc/stat").First();
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal ...
        var busy = values[0] + values[1] + values[2] + values[5] + values[6] + (values.Length > 7 ? values[7] : 0);
        return busy / TicksPerSecond.Value;
    }

    /// <summary>The 1-minute load average.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>Total memory of the machine in bytes (MemTotal of /proc/meminfo).</summary>
    public static long MemTotalBytes()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                return ParseKiB(line) * 1024;
            }
        }

        return 0;
    }

    public static string CpuModel()
    {
        foreach (var line in File.ReadLines("/proc/cpuinfo"))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return "unknown";
    }

    private static string[]? StatFields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // comm may contain spaces and parentheses: split after the last ')'.
        var close = text.LastIndexOf(')');
        return close < 0 ? null : text[(close + 2)..].Split(' ');
    }

    private static long StatusKiB(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return ParseKiB(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        return 0;
    }

    private static long ParseKiB(string line)
    {
        // "VmRSS:	   12345 kB"
        var parts = line.Split(' ', '\t').Where(p => p.Length > 0).ToArray();
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : 0;
    }

    private static double ReadClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            if (getconf is not null)
            {
                var text = getconf.StandardOutput.ReadToEnd().Trim();
                getconf.WaitForExit(5000);
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ticks) && ticks > 0)
                {
                    return ticks;
                }
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // USER_HZ is 100 on every mainstream Linux build.
        }

        return 100;
    }
}
