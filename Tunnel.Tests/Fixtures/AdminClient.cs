using System.Net.Http.Headers;
using System.Text.Json;

namespace Tunnel.Tests.Fixtures;

/// <summary>Registers clients on a server running as its own process (where <see cref="TunnelServer"/> is not at hand).</summary>
public static class AdminClient
{
    public static async Task<string> RegisterAsync(Uri server, string clientId)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/auth/register-client?clientId={clientId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TunnelServer.AdminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }
}
