using Tunnel.Contracts.Messages;

namespace Tunnel.Server.Forwarding;

/// <summary>The one place that maps a <see cref="ForwardingError"/> to a status code and a log level.</summary>
internal static class ForwardingProblems
{
    public static int StatusCode(ForwardingError error) => error switch
    {
        ForwardingError.AgentNotConnected => StatusCodes.Status424FailedDependency,
        ForwardingError.AgentBusy or ForwardingError.BufferBudgetExhausted => StatusCodes.Status503ServiceUnavailable,
        ForwardingError.AgentTimeout or ForwardingError.OriginTimeout or ForwardingError.AgentIdleTimeout => StatusCodes.Status504GatewayTimeout,
        ForwardingError.InvalidRequest or ForwardingError.RequestBodyInvalid => StatusCodes.Status400BadRequest,
        ForwardingError.RequestBodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        ForwardingError.ClientDisconnected => StatusCodes.Status499ClientClosedRequest,
        _ => StatusCodes.Status502BadGateway,
    };

    public static LogLevel LogLevel(ForwardingError error) => error switch
    {
        ForwardingError.None or ForwardingError.ClientDisconnected => Microsoft.Extensions.Logging.LogLevel.Debug,
        ForwardingError.ProtocolViolation => Microsoft.Extensions.Logging.LogLevel.Error,
        ForwardingError.AgentNotConnected or ForwardingError.AgentBusy or ForwardingError.InvalidRequest
            or ForwardingError.RequestBodyTooLarge or ForwardingError.RequestBodyInvalid => Microsoft.Extensions.Logging.LogLevel.Information,
        _ => Microsoft.Extensions.Logging.LogLevel.Warning,
    };

    public static string Title(ForwardingError error) => error switch
    {
        ForwardingError.AgentNotConnected => "Home server not connected",
        ForwardingError.AgentBusy => "Home server busy",
        ForwardingError.BufferBudgetExhausted => "Tunnel buffers full",
        ForwardingError.AgentDisconnected => "Home server disconnected",
        ForwardingError.AgentTimeout => "Home server did not answer in time",
        ForwardingError.AgentIdleTimeout => "Home server stopped sending",
        ForwardingError.OriginUnreachable => "Music server unreachable",
        ForwardingError.OriginTimeout => "Music server did not answer in time",
        ForwardingError.OriginInvalidResponse => "Music server sent an invalid response",
        ForwardingError.BodyIncomplete => "Response body incomplete",
        ForwardingError.BufferLimitExceeded => "Response too large to buffer",
        ForwardingError.ProtocolViolation => "Home server broke the tunnel protocol",
        ForwardingError.InvalidRequest => "Request cannot be forwarded",
        ForwardingError.RequestBodyTooLarge => "Request body too large",
        ForwardingError.RequestBodyInvalid => "Request body invalid",
        _ => "Tunnel error",
    };

    public static ForwardingError FromFailure(ForwardFailureKind kind) => kind switch
    {
        ForwardFailureKind.OriginUnreachable => ForwardingError.OriginUnreachable,
        ForwardFailureKind.OriginTimeout => ForwardingError.OriginTimeout,
        ForwardFailureKind.InvalidRequest => ForwardingError.InvalidRequest,
        ForwardFailureKind.AgentBusy => ForwardingError.AgentBusy,
        ForwardFailureKind.OriginInvalidResponse => ForwardingError.OriginInvalidResponse,
        _ => ForwardingError.BodyIncomplete,
    };

    /// <summary>Writes the problem answer, if the response has not started (after that only an abort is honest).</summary>
    public static async Task WriteAsync(HttpContext context, ForwardingError error, string detail)
    {
        if (context.Response.HasStarted || error == ForwardingError.ClientDisconnected)
        {
            return;
        }

        context.Response.Clear();
        if (error is ForwardingError.AgentBusy or ForwardingError.BufferBudgetExhausted)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        await TypedResults.Problem(statusCode: StatusCode(error), title: Title(error), detail: detail).ExecuteAsync(context);
    }
}
