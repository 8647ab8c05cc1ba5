using Microsoft.Extensions.Options;

namespace Tunnel.Server;

/// <summary>Checks the server-wide settings, reporting every problem at once.</summary>
internal sealed class TunnelOptionsValidator : IValidateOptions<TunnelOptions>
{
    public ValidateOptionsResult Validate(string? name, TunnelOptions options)
    {
        var failures = new List<string>();
        if (options.AdminToken is { Length: > 0 } token && (token.Length < TunnelOptions.MinAdminTokenLength || string.IsNullOrWhiteSpace(token)))
        {
            failures.Add($"Tunnel:AdminToken must be at least {TunnelOptions.MinAdminTokenLength} characters (or unset to keep registration closed).");
        }

        new TimeSpanRange(TimeSpan.Zero, TimeSpan.FromHours(1)).Check(options.DrainTimeout, "Tunnel:DrainTimeout", failures);
        if (string.IsNullOrWhiteSpace(options.NodeId))
        {
            failures.Add("Tunnel:NodeId must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
