using System.Net;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Hosting;

/// <summary>Checks the trusted proxies and networks, naming every bad entry at once.</summary>
internal sealed class TunnelForwardedHeadersOptionsValidator : IValidateOptions<TunnelForwardedHeadersOptions>
{
    public ValidateOptionsResult Validate(string? name, TunnelForwardedHeadersOptions options)
    {
        var failures = new List<string>();
        foreach (var proxy in TunnelForwardedHeadersOptions.Split(options.KnownProxies))
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                failures.Add($"{TunnelForwardedHeadersOptions.SectionName}:KnownProxies: '{proxy}' is not an IP address.");
            }
        }

        foreach (var network in TunnelForwardedHeadersOptions.Split(options.KnownNetworks))
        {
            if (!network.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(network, out _))
            {
                failures.Add($"{TunnelForwardedHeadersOptions.SectionName}:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
