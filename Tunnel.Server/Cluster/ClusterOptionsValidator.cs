using Microsoft.Extensions.Options;

namespace Tunnel.Server.Cluster;

/// <summary>Checks the cluster settings together, reporting every problem at once.</summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();
        new TimeSpanRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)).Check(options.NodeTimeout, "Tunnel:Cluster:NodeTimeout", failures);
        if (options.InternalUrl is { } url
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                || url.PathAndQuery != "/" || url.UserInfo.Length > 0))
        {
            failures.Add("Tunnel:Cluster:InternalUrl must be an absolute http:// or https:// URL with no path, e.g. http://10.0.0.5:8000.");
        }

        if (options.InternalUrl is not null && string.IsNullOrEmpty(options.Secret))
        {
            failures.Add($"Tunnel:Cluster:Secret is required when Tunnel:Cluster:InternalUrl is set (at least {ClusterOptions.MinSecretLength} characters, the same on every node).");
        }

        if (options.Secret is { Length: > 0 } secret && (secret.Length < ClusterOptions.MinSecretLength || string.IsNullOrWhiteSpace(secret)))
        {
            failures.Add($"Tunnel:Cluster:Secret must be at least {ClusterOptions.MinSecretLength} characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
