using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Tunnel.Agent.Links;

/// <summary>
/// <c>Tunnel.Agent link</c>: asks the tunnel server for a one-time device link of this agent's client
/// (<c>POST /auth/device-link</c>, with the agent's access token) and prints the URL the MoosicBox web app expects,
/// <c>&lt;Agent:Link:AppUrl&gt;?magicToken=M&amp;apiUrl=&lt;server&gt;</c>, and the same URL as a QR code, so that
/// a phone logs in by scanning it. The server answers the app's <c>GET /auth/magic-token</c> itself with a new
/// client access token; the home server is not involved (issue 9).
/// </summary>
internal sealed class DeviceLinkCommand(
    HttpClient http,
    IOptions<AgentOptions> agentOptions,
    IOptions<DeviceLinkOptions> linkOptions)
{
    public const string Name = "link";

    public const string HttpClientName = "device-link";

    /// <summary>Exit codes: 0 printed, 1 the server refused or could not be reached (configuration errors: 2).</summary>
    public async Task<int> RunAsync(TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var agent = agentOptions.Value;
        var link = linkOptions.Value;
        var request = new Uri(agent.ServerUrl!, "/auth/device-link?clientId=" + Uri.EscapeDataString(agent.ClientId!));
        using var message = new HttpRequestMessage(HttpMethod.Post, request);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.AccessToken);

        DeviceLink? answer;
        try
        {
            using var response = await http.SendAsync(message, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                await error.WriteLineAsync($"The tunnel server refused the device link: {(int)response.StatusCode} {body}");
                return 1;
            }

            answer = await response.Content.ReadFromJsonAsync(DeviceLinkJsonContext.Default.DeviceLink, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"Could not get a device link from {agent.ServerUrl}: {ex.Message}");
            return 1;
        }

        if (answer is null || string.IsNullOrEmpty(answer.MagicToken))
        {
            await error.WriteLineAsync("The tunnel server's answer holds no magic token.");
            return 1;
        }

        var url = LinkUrl(link.AppUrl!, link.ApiUrl ?? agent.ServerUrl!, answer.MagicToken);
        var text = new StringBuilder()
            .AppendLine($"Device link for client {agent.ClientId}, usable once until {answer.Expires:u}:")
            .AppendLine()
            .AppendLine(url)
            .AppendLine()
            .AppendLine(QrCode(url))
            .AppendLine("Scan it with the phone's camera, or open the URL in the browser that should log in.")
            .ToString();
        await output.WriteAsync(text);
        await output.FlushAsync(cancellationToken);
        return 0;
    }

    /// <summary>The web app's login URL: its page plus <c>magicToken</c> and <c>apiUrl</c>, both escaped.</summary>
    public static string LinkUrl(Uri appUrl, Uri apiUrl, string magicToken)
    {
        var app = appUrl.AbsoluteUri;
        var separator = appUrl.Query.Length > 1 ? "&" : app.EndsWith('?') ? string.Empty : "?";
        var api = apiUrl.AbsoluteUri.TrimEnd('/');
        return app + separator + "magicToken=" + Uri.EscapeDataString(magicToken) + "&apiUrl=" + Uri.EscapeDataString(api);
    }

    /// <summary>
    /// The URL as a QR code of Unicode half blocks, two modules a character cell. The light modules and the quiet
    /// zone are the ones drawn (QRCoder's default), so that it reads right on the usual light-on-dark terminal.
    /// </summary>
    public static string QrCode(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        using var code = new AsciiQRCode(data);
        return code.GetGraphicSmall(drawQuietZones: true, invert: false, endOfLine: Environment.NewLine);
    }
}
