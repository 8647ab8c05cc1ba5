using System.Runtime.InteropServices;

namespace Tunnel.Bench.Processes;

/// <summary>
/// Every child the bench started, so that all of them die with the bench: on a normal end, on an exception, on
/// Ctrl-C, SIGTERM or SIGHUP. Only processes started here are ever killed, each by its own id.
/// </summary>
internal static class ChildProcesses
{
    private static readonly Lock Gate = new();
    private static readonly List<ChildProcess> Live = [];
    private static readonly List<PosixSignalRegistration> Registrations = [];

    /// <summary>Hooks process exit and the termination signals; call once at start.</summary>
    public static void KillAllOnExit()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        foreach (var (signal, number) in new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1), (PosixSignal.SIGQUIT, 3) })
        {
            Registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // The runtime's default for SIGTERM lets the run go on; stop at once, children first.
                context.Cancel = true;
                KillAll();
                Console.Error.WriteLine($"Tunnel.Bench: stopped by {context.Signal}; every child process was killed.");
                Environment.Exit(128 + number);
            }));
        }
    }

    public static void Track(ChildProcess child)
    {
        lock (Gate)
        {
            Live.Add(child);
        }
    }

    public static void Untrack(ChildProcess child)
    {
        lock (Gate)
        {
            Live.Remove(child);
        }
    }

    public static void KillAll()
    {
        ChildProcess[] all;
        lock (Gate)
        {
            all = [.. Live];
        }

        // Newest first: the agent before the server, ssh before sshd.
        for (var i = all.Length - 1; i >= 0; i--)
        {
            all[i].Kill();
        }
    }
}
