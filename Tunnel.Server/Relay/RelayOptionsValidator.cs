using Microsoft.Extensions.Options;

namespace Tunnel.Server.Relay;

/// <summary>Checks the relay's timings (the other settings carry data annotations).</summary>
internal sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    private static readonly TimeSpanRange Timing = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        var failures = new List<string>();
        Timing.Check(options.OpenTimeout, "Tunnel:Relay:OpenTimeout", failures);
        Timing.Check(options.KeepAliveInterval, "Tunnel:Relay:KeepAliveInterval", failures);
        Timing.Check(options.KeepAliveTimeout, "Tunnel:Relay:KeepAliveTimeout", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
