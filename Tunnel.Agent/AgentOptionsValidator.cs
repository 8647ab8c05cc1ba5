using Microsoft.Extensions.Options;
using Tunnel.Agent.Connection;

namespace Tunnel.Agent;

/// <summary>
/// Checks the URLs (absolute http or https) and the ranges, reporting every problem at once. Ranges live here, not in
/// <c>[Range]</c>: the build-time validator (<see cref="AgentOptionsAnnotationsValidator"/>) drops their messages.
/// </summary>
internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        CheckHttpUrl(options.ServerUrl, "Agent:ServerUrl", failures);
        CheckHttpUrl(options.OriginUrl, "Agent:OriginUrl", failures);
        if (options.AccessToken is { } token && string.IsNullOrWhiteSpace(token))
        {
            failures.Add("Agent:AccessToken must not be blank.");
        }

        CheckRange(options.OriginTimeout, "Agent:OriginTimeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), failures);
        CheckRange(options.OriginBodyIdleTimeout, "Agent:OriginBodyIdleTimeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), failures);
        CheckRange(options.ReconnectMaxDelay, "Agent:ReconnectMaxDelay", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), failures);
        CheckRange(options.DrainTimeout, "Agent:DrainTimeout", TimeSpan.Zero, TimeSpan.FromHours(1), failures);
        CheckRange(options.MaxConcurrentRequests, "Agent:MaxConcurrentRequests", 1, 100_000, failures);
        CheckRange(options.Connections, "Agent:Connections", 1, 16, failures);
        if (options.TrustedCertificatePath is { Length: > 0 } path)
        {
            CheckCertificateFile(path, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRange(int value, string key, int min, int max, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min} and {max}.");
        }
    }

    private static void CheckRange(TimeSpan value, string key, TimeSpan min, TimeSpan max, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min:c} and {max:c}.");
        }
    }

    private static void CheckCertificateFile(string path, List<string> failures)
    {
        try
        {
            if (ServerCertificateTrust.Load(path).Count == 0)
            {
                failures.Add($"Agent:TrustedCertificatePath: '{path}' holds no certificate.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            failures.Add($"Agent:TrustedCertificatePath: '{path}' could not be read as a PEM or DER certificate ({ex.Message}).");
        }
    }

    private static void CheckHttpUrl(Uri? url, string key, List<string> failures)
    {
        if (url is null)
        {
            return;
        }

        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{key} must be an absolute http:// or https:// URL, not '{url}'.");
        }
    }
}
