using Microsoft.Extensions.Options;

namespace Tunnel.Agent.Links;

/// <summary>Both URLs absolute http(s); the app URL required. Reports every problem at once.</summary>
internal sealed class DeviceLinkOptionsValidator : IValidateOptions<DeviceLinkOptions>
{
    public ValidateOptionsResult Validate(string? name, DeviceLinkOptions options)
    {
        var failures = new List<string>();
        if (options.AppUrl is null)
        {
            failures.Add("Agent:Link:AppUrl is required (the MoosicBox web app's login page, e.g. https://music.example.com/auth).");
        }

        Check(options.AppUrl, "Agent:Link:AppUrl", failures);
        Check(options.ApiUrl, "Agent:Link:ApiUrl", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(Uri? url, string key, List<string> failures)
    {
        if (url is not null && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Fragment.Length > 0))
        {
            failures.Add($"{key} must be an absolute http:// or https:// URL without a fragment, not '{url}'.");
        }
    }
}
