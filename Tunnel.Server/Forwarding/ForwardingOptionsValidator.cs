using Microsoft.Extensions.Options;

namespace Tunnel.Server.Forwarding;

/// <summary>Checks the forwarding timeouts (the other settings carry data annotations).</summary>
internal sealed class ForwardingOptionsValidator : IValidateOptions<ForwardingOptions>
{
    private static readonly TimeSpanRange Timeout = new(TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

    public ValidateOptionsResult Validate(string? name, ForwardingOptions options)
    {
        var failures = new List<string>();
        Timeout.Check(options.ResponseHeadersTimeout, "Tunnel:Forwarding:ResponseHeadersTimeout", failures);
        Timeout.Check(options.ResponseIdleTimeout, "Tunnel:Forwarding:ResponseIdleTimeout", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
