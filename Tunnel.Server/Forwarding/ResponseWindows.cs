using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Tunnel.Contracts.Protocol;
using Tunnel.Server.Agents;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// The memory budgets that response credit windows grow within, and each agent connection's round-trip estimate.
/// A window beyond <see cref="ForwardingOptions.ResponseCreditWindow"/> must fit in its agent's budget
/// (<see cref="ForwardingOptions.ResponseWindowAgentBudgetBytes"/>) and the node's
/// (<see cref="ForwardingOptions.ResponseWindowNodeBudgetBytes"/>); the growth is given back when the window shrinks
/// again (its caller became the bottleneck, see <see cref="CreditWindowTuner"/>) and when the request ends.
/// Also records the largest windows seen, which tests and operators can read.
/// </summary>
internal sealed class ResponseWindows(IOptionsMonitor<ForwardingOptions> options)
{
    private readonly ConditionalWeakTable<AgentSession, PerAgent> _agents = new();
    private long _nodeReserved;
    private int _largestResponseWindow;
    private int _largestUploadWindow;

    /// <summary>Bytes of grown response windows the node holds now.</summary>
    public long NodeReservedBytes => Interlocked.Read(ref _nodeReserved);

    /// <summary>The largest response window (chunks) any request reached since start.</summary>
    public int LargestResponseWindow => Volatile.Read(ref _largestResponseWindow);

    /// <summary>The largest request body window (chunks) an agent granted a request since start.</summary>
    public int LargestUploadWindow => Volatile.Read(ref _largestUploadWindow);

    /// <summary>The tuner for one response body of <paramref name="agent"/>; dispose it when the body is done.</summary>
    public Lease Start(AgentSession agent)
    {
        var o = options.CurrentValue;
        var perAgent = _agents.GetValue(agent, static _ => new PerAgent());
        var maxChunks = (int)Math.Min(ForwardingOptions.MaxCreditWindow, o.ResponseWindowMaxBytes / TunnelProtocol.MaxChunkSize);
        var lease = new Lease(this, perAgent);
        lease.Tuner = new CreditWindowTuner(o.ResponseCreditWindow, maxChunks, perAgent.RoundTrip, lease.TryReserve, lease.Release);
        return lease;
    }

    /// <summary>Notes the credit an agent has given one request body, for <see cref="LargestUploadWindow"/>.</summary>
    public void UploadWindowSeen(int chunks) => Max(ref _largestUploadWindow, chunks);

    private static void Max(ref int field, int value)
    {
        var seen = Volatile.Read(ref field);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref field, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private bool TryReserve(PerAgent agent, long bytes)
    {
        var o = options.CurrentValue;
        if (Interlocked.Add(ref agent.Reserved, bytes) > o.ResponseWindowAgentBudgetBytes)
        {
            Interlocked.Add(ref agent.Reserved, -bytes);
            return false;
        }

        if (Interlocked.Add(ref _nodeReserved, bytes) > o.ResponseWindowNodeBudgetBytes)
        {
            Interlocked.Add(ref _nodeReserved, -bytes);
            Interlocked.Add(ref agent.Reserved, -bytes);
            return false;
        }

        return true;
    }

    private void Release(PerAgent agent, long bytes)
    {
        Interlocked.Add(ref agent.Reserved, -bytes);
        Interlocked.Add(ref _nodeReserved, -bytes);
    }

    /// <summary>One response body's window and its share of the budgets.</summary>
    internal sealed class Lease(ResponseWindows owner, PerAgent agent) : IDisposable
    {
        private long _reserved;

        public CreditWindowTuner Tuner { get; set; } = null!;

        public bool TryReserve(int chunks)
        {
            var bytes = (long)chunks * TunnelProtocol.MaxChunkSize;
            if (!owner.TryReserve(agent, bytes))
            {
                return false;
            }

            _reserved += bytes;
            Max(ref owner._largestResponseWindow, Tuner.Window + chunks);
            return true;
        }

        /// <summary>Gives back <paramref name="chunks"/> of the growth <see cref="TryReserve"/> reserved: the window shrank.</summary>
        public void Release(int chunks)
        {
            var bytes = (long)chunks * TunnelProtocol.MaxChunkSize;
            owner.Release(agent, bytes);
            _reserved -= bytes;
        }

        public void Dispose()
        {
            owner.Release(agent, _reserved);
            _reserved = 0;
        }
    }

    /// <summary>What one agent connection's windows share.</summary>
    internal sealed class PerAgent
    {
        public long Reserved;

        public RoundTripEstimate RoundTrip { get; } = new();
    }
}
