using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// Reads the agent's body stream one chunk at a time, turning every way it can end badly into a
/// <see cref="ForwardingError"/>: the caller left, the agent left, the agent went quiet, or the agent's stream
/// failed. Keeping that apart from write failures is what lets the writers blame the right side.
/// </summary>
internal sealed class BodyStream(PendingRequest request, IAsyncEnumerable<BodyChunk> body, TimeSpan idleTimeout) : IAsyncDisposable
{
    // Not linked to the agent's disconnect: chunks the agent sent before it left (a window of up to 16 MiB, say when
    // it drains and exits while a slow caller is still reading) are still delivered; SignalR then ends the stream
    // with an error unless the agent completed it, so a body cut by the disconnect still fails visibly.
    private readonly CancellationTokenSource _idle = CancellationTokenSource.CreateLinkedTokenSource(
        request.HttpContext.RequestAborted);

    private IAsyncEnumerator<BodyChunk>? _enumerator;

    /// <summary>The chunk just read; the caller owns it and gives it back (<see cref="BodyChunk.Return"/>) once written.</summary>
    public BodyChunk Current { get; private set; } = BodyChunk.Borrow(ReadOnlyMemory<byte>.Empty);

    /// <summary>
    /// Whether the server had to wait for <see cref="Current"/> (nothing was queued from the agent when it asked)
    /// rather than finding it already queued: credit flow control grows a window only for a reader that waits.
    /// </summary>
    public bool WaitedForCurrent { get; private set; }

    /// <summary>Next chunk, <see cref="ForwardingError.None"/> with false at a clean end, or the error that ended it.</summary>
    public async ValueTask<(bool HasChunk, ForwardingError Error)> MoveNextAsync()
    {
        _enumerator ??= body.GetAsyncEnumerator(_idle.Token);
        _idle.CancelAfter(idleTimeout);
        try
        {
            var next = _enumerator.MoveNextAsync();
            // SignalR's client-stream enumerator completes at once when the chunk is already in its channel.
            WaitedForCurrent = !next.IsCompleted;
            if (!await next)
            {
                return (false, ForwardingError.None);
            }
        }
        catch (Exception) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return (false, ForwardingError.ClientDisconnected);
        }
        catch (Exception) when (request.Agent.Disconnected.IsCancellationRequested)
        {
            return (false, ForwardingError.AgentDisconnected);
        }
        catch (OperationCanceledException) when (_idle.IsCancellationRequested)
        {
            return (false, ForwardingError.AgentIdleTimeout);
        }
        catch (Exception)
        {
            // The agent ended its stream with an error: the origin broke off mid-body.
            return (false, ForwardingError.BodyIncomplete);
        }

        // Time spent writing to a slow caller is not the agent's idleness.
        _idle.CancelAfter(Timeout.InfiniteTimeSpan);
        if (_enumerator.Current is not { } chunk)
        {
            return (false, ForwardingError.ProtocolViolation);
        }

        Current = chunk;
        request.Agent.Traffic.ReceivedFromAgent(Current.Length);
        request.Telemetry?.BytesToCaller(Current.Length);
        return Current.Length > TunnelProtocol.MaxChunkSize
            ? (false, ForwardingError.ProtocolViolation)
            : (true, ForwardingError.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_enumerator is not null)
        {
            try
            {
                await _enumerator.DisposeAsync();
            }
            catch (Exception)
            {
                // The stream already failed; MoveNextAsync reported why.
            }
        }

        _idle.Dispose();
    }
}
