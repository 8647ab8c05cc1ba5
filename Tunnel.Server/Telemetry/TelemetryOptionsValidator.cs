using Microsoft.Extensions.Options;

namespace Tunnel.Server.Telemetry;

/// <summary>Checks that <c>Tunnel:Telemetry:MetricsUrl</c> is an http URL with a host and port, if set.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        if (options.MetricsUrl is not { Length: > 0 } url)
        {
            return ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.AbsolutePath == "/"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{TelemetryOptions.SectionName}:MetricsUrl must be an http://host:port URL without a path, not '{url}'.");
    }
}
