using Microsoft.Extensions.Options;

namespace Tunnel.Server.Hosting;

/// <summary>Checks <c>Tunnel:Cors:AllowedOrigins</c>, naming every bad entry at once.</summary>
internal sealed class TunnelCorsOptionsValidator : IValidateOptions<TunnelCorsOptions>
{
    private const string Key = TunnelCorsOptions.SectionName + ":AllowedOrigins";

    public ValidateOptionsResult Validate(string? name, TunnelCorsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.AllowedOrigins))
        {
            failures.Add($"{Key} must be '*' or a list of origins such as 'https://app.example.com'.");
        }

        foreach (var origin in options.Origins())
        {
            if (origin == TunnelCorsOptions.AnyOrigin)
            {
                failures.Add($"{Key}: '*' must stand alone, not in a list.");
            }
            else if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                     || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                     || uri.PathAndQuery != "/" || origin.EndsWith('/'))
            {
                failures.Add($"{Key}: '{origin}' is not an origin (scheme://host[:port], no path).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
