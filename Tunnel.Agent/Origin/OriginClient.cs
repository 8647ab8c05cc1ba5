using Tunnel.Contracts.Messages;

namespace Tunnel.Agent.Origin;

/// <summary>
/// Calls the local MoosicBox server. The target is always <c>Agent:OriginUrl</c>'s scheme, host and port plus the
/// forwarded path and query: nothing in a forwarded request can point it anywhere else. Each request reads the
/// settings as they stand, so a reloaded <c>Agent:OriginUrl</c> applies to the next request.
/// </summary>
internal sealed class OriginClient(HttpClient http, AgentSettings settings)
{
    public const string HttpClientName = "origin";

    private static readonly UriCreationOptions KeepTargetAsIs = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>Builds the origin request, or null with a reason when the forwarded request cannot be sent.</summary>
    public HttpRequestMessage? TryBuild(ForwardRequest request, HttpContent? body, out string? problem)
    {
        problem = null;
        var settingsNow = settings.Current;
        var origin = settingsNow.OriginUrl!;
        if (!request.PathAndQuery.StartsWith('/') || request.PathAndQuery.Contains('#'))
        {
            problem = "The request target must be a path starting with '/'.";
            return null;
        }

        // Authority of the origin + the target as received (escapes kept). Checked again after parsing.
        var text = origin.GetLeftPart(UriPartial.Authority) + request.PathAndQuery;
        if (!Uri.TryCreate(text, in KeepTargetAsIs, out var target)
            || target.Scheme != origin.Scheme || target.Host != origin.Host || target.Port != origin.Port
            || !string.IsNullOrEmpty(target.UserInfo))
        {
            problem = "The request target does not stay on the origin.";
            return null;
        }

        HttpMethod method;
        try
        {
            method = HttpMethod.Parse(request.Method);
        }
        catch (FormatException)
        {
            problem = $"'{request.Method}' is not an HTTP method.";
            return null;
        }

        var message = new HttpRequestMessage(method, target) { Content = body, Version = new Version(1, 1) };
        foreach (var header in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(header.Name, header.Value))
            {
                // Content-Type, Content-Length and friends belong to the content.
                if (body is null)
                {
                    continue;
                }

                body.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        // MoosicBox's tunnel marker, whatever the caller sent: the home server refuses it on local-only routes.
        message.Headers.Remove("User-Agent");
        message.Headers.TryAddWithoutValidation("User-Agent", settingsNow.OriginUserAgent);
        return message;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken) =>
        http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public static void ConfigureHandler(SocketsHttpHandler handler)
    {
        handler.AllowAutoRedirect = false;
        handler.UseCookies = false;
        handler.UseProxy = false;
        handler.AutomaticDecompression = System.Net.DecompressionMethods.None;
        handler.ConnectTimeout = TimeSpan.FromSeconds(10);
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);
        handler.MaxConnectionsPerServer = int.MaxValue;
        // Header values are opaque bytes both ways (obs-text, RFC 9110 §5.5): Latin-1 maps each byte to one char and
        // back, so a raw UTF-8 file name reaches MoosicBox and comes back unchanged (see HttpHeader).
        handler.RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1;
        handler.ResponseHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1;
    }
}
