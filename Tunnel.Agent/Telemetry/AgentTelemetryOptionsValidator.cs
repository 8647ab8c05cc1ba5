using Microsoft.Extensions.Options;

namespace Tunnel.Agent.Telemetry;

/// <summary>Checks that <c>Agent:Telemetry:MetricsUrl</c> is an http URL with a host and port, if set.</summary>
internal sealed class AgentTelemetryOptionsValidator : IValidateOptions<AgentTelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentTelemetryOptions options)
    {
        if (options.MetricsUrl is not { Length: > 0 } url)
        {
            return ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.AbsolutePath == "/"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AgentTelemetryOptions.SectionName}:MetricsUrl must be an http://host:port URL without a path, not '{url}'.");
    }
}
