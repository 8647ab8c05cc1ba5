namespace Tunnel.Bench.Processes;

/// <summary>
/// One side of a path whose cost is measured, e.g. "server" (the tunnel server, nginx's worker, sshd and its
/// session processes) or "home" (the agent, the ssh client). The processes are looked up when asked, because
/// nginx and sshd fork theirs.
/// </summary>
internal sealed class ProcessGroup(string label, Func<IReadOnlyList<int>> pids)
{
    public string Label { get; } = label;

    public IReadOnlyList<int> Pids() => pids();

    public static ProcessGroup Of(string label, ChildProcess process) => new(label, () => [process.Pid]);

    /// <summary>The process and all its descendants (sshd forks a privileged and a session process per login).</summary>
    public static ProcessGroup TreeOf(string label, ChildProcess process) => new(label, () => ProcFs.Tree(process.Pid));

    /// <summary>Only the children: nginx's workers, without the idle master.</summary>
    public static ProcessGroup ChildrenOf(string label, ChildProcess process) => new(label, () => ProcFs.Children(process.Pid));
}
