using Microsoft.Extensions.Options;

namespace Tunnel.Server.Auth;

/// <summary>Checks the auth settings, reporting every problem at once with the full configuration key.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        CheckLifetime(failures, "SignatureTokenLifetime", options.SignatureTokenLifetime);
        CheckLifetime(failures, "MagicTokenLifetime", options.MagicTokenLifetime);
        if (options.FailedAttemptsPerMinute is < 1 or > 1_000_000)
        {
            failures.Add($"{AuthOptions.SectionName}:FailedAttemptsPerMinute must be between 1 and 1000000, not {options.FailedAttemptsPerMinute}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckLifetime(List<string> failures, string key, TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1) || value > AuthOptions.MaxLifetime)
        {
            failures.Add($"{AuthOptions.SectionName}:{key} must be between 00:00:01 and 365.00:00:00, not {value}.");
        }
    }
}
