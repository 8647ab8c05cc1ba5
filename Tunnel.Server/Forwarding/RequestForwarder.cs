using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Tunnel.Contracts.Messages;
using Tunnel.Server.Agents;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// Sends one HTTP request through an agent and writes its answer: registers it as pending, invokes the agent, waits
/// for the head, then hands over to the streamed or buffered writer. Cleans up whichever way it ends and tells the
/// agent to stop when the answer is no longer wanted.
/// </summary>
internal sealed class RequestForwarder(
    PendingRequests pending,
    BufferBudget budget,
    ServerMetrics metrics,
    ResponseWindows windows,
    IOptionsMonitor<ForwardingOptions> options,
    ILogger<RequestForwarder> logger)
{
    /// <param name="target">The path and query the origin gets (usually <see cref="RequestTarget.Of"/>).</param>
    public async Task ForwardAsync(HttpContext context, AgentSession agent, ResponseMode mode, string target)
    {
        var o = options.CurrentValue;
        agent.Traffic.RequestStarted();
        using var telemetry = metrics.StartForward(agent.ClientId, context.Request.Method);
        if (!agent.TryEnter(o.MaxInFlightPerAgent))
        {
            agent.Traffic.Failed(nameof(ForwardingError.AgentBusy), $"{o.MaxInFlightPerAgent} requests in flight.");
            telemetry.Completed(ForwardingProblems.StatusCode(ForwardingError.AgentBusy), ForwardingError.AgentBusy);
            await ForwardingProblems.WriteAsync(context, ForwardingError.AgentBusy,
                $"The home server has {o.MaxInFlightPerAgent} requests in flight; retry shortly.");
            return;
        }

        using var request = pending.Add(context, agent);
        request.Telemetry = telemetry;
        var (error, detail) = (ForwardingError.None, string.Empty);
        try
        {
            (error, detail) = await ExchangeAsync(request, mode, target, o);
        }
        finally
        {
            await request.FinishAsync();
            pending.Remove(request);
            agent.Exit();
            if (error != ForwardingError.None && !agent.Disconnected.IsCancellationRequested)
            {
                // The agent may still be reading from the origin; it must stop.
                _ = CancelQuietlyAsync(agent, request.RequestId);
            }
        }

        if (error is not ForwardingError.None and not ForwardingError.ClientDisconnected)
        {
            agent.Traffic.Failed(error.ToString(), detail);
        }

        // Before the problem is written the response still says 200: log the status the caller actually gets.
        var status = error == ForwardingError.None || context.Response.HasStarted
            ? context.Response.StatusCode
            : ForwardingProblems.StatusCode(error);
        ForwardingLog.Forwarded(logger, ForwardingProblems.LogLevel(error), context.Request.Method, agent.ClientId,
            request.RequestId, status, error, detail);
        telemetry.Completed(status, error);
        await ForwardingProblems.WriteAsync(context, error, detail);
    }

    private async Task<(ForwardingError, string)> ExchangeAsync(PendingRequest request, ResponseMode mode, string target, ForwardingOptions o)
    {
        var context = request.HttpContext;
        var agent = request.Agent;
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;
        var headers = HeaderFilter.ForOrigin(context.Request.Headers);
        request.Telemetry?.Propagate(headers);
        var forward = new ForwardRequest
        {
            RequestId = request.RequestId,
            Method = context.Request.Method,
            PathAndQuery = target,
            Headers = headers,
            HasBody = canHaveBody,
            InitialCredits = o.ResponseCreditWindow,
            // The caller's view, so that the origin can build public links and the agent can rewrite Location.
            PublicScheme = context.Request.Scheme,
            PublicHost = context.Request.Host.HasValue ? context.Request.Host.Value : null,
            CallerAddress = CallerAddressOf(context),
        };

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, agent.Disconnected);
        AgentAnswer answer;
        try
        {
            await agent.Agent.Forward(forward);
            answer = await request.Answer.WaitAsync(o.ResponseHeadersTimeout, waiting.Token);
        }
        catch (TimeoutException)
        {
            return (ForwardingError.AgentTimeout, $"No response headers within {o.ResponseHeadersTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            return (ForwardingError.ClientDisconnected, "The caller went away.");
        }
        catch (Exception) when (agent.Disconnected.IsCancellationRequested)
        {
            return (ForwardingError.AgentDisconnected, "The home server disconnected before it answered.");
        }

        request.Telemetry?.HeadersReceived();
        if (answer.Error != ForwardingError.None)
        {
            // A body that broke off because the caller left is the caller's leaving, not a bad body.
            return context.RequestAborted.IsCancellationRequested
                ? (ForwardingError.ClientDisconnected, "The caller went away.")
                : (answer.Error, answer.Detail);
        }

        return mode == ResponseMode.Buffered
            ? await BufferedResponseWriter.WriteAsync(request, answer, o, budget, windows)
            : await StreamedResponseWriter.WriteAsync(request, answer, o, windows);
    }

    private static string? CallerAddressOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip
            ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()
            : null;

    private async Task CancelQuietlyAsync(AgentSession agent, Guid requestId)
    {
        try
        {
            await agent.Agent.Cancel(requestId);
        }
        catch (Exception ex)
        {
            ForwardingLog.CancelNotDelivered(logger, requestId, ex);
        }
    }
}
