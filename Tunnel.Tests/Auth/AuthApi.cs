using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Auth;
using Tunnel.Server.Registry;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>The auth routes as a test calls them, and the checks every refusal shares.</summary>
internal static class AuthApi
{
    public static async Task<HttpResponseMessage> SendAsync(TunnelServer server, HttpMethod method, string url, string? authorization = null)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(method, url);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SendAsBearerAsync(TunnelServer server, HttpMethod method, string url, string? token) =>
        SendAsync(server, method, url, token is null ? null : "Bearer " + token);

    public static async Task<string> CreateSignatureAsync(TunnelServer server, string clientId, string clientToken)
    {
        using var response = await SendAsBearerAsync(server, HttpMethod.Post, $"/auth/signature-token?clientId={clientId}", clientToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public static async Task RegisterMagicAsync(TunnelServer server, string clientId, string clientToken, string magicToken)
    {
        using var response = await SendAsBearerAsync(server, HttpMethod.Post,
            $"/auth/magic-token?clientId={clientId}&magicToken={Uri.EscapeDataString(magicToken)}", clientToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static async Task RevokeClientAsync(TunnelServer server, string clientId)
    {
        using var response = await SendAsBearerAsync(server, HttpMethod.Delete, $"/auth/clients/{clientId}/tokens", TunnelServer.AdminToken);
        response.StatusCode.Should().Be(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Writes a client access token that expired a minute ago, straight into the table.</summary>
    public static async Task<string> AddExpiredAccessTokenAsync(TunnelServer server, string clientId, DateTimeOffset now)
    {
        var token = TokenGenerator.NewToken();
        var factory = server.Services.GetRequiredService<IDbContextFactory<TunnelDbContext>>();
        await using var db = factory.CreateDbContext();
        db.ClientAccessTokens.Add(new ClientAccessToken
        {
            TokenHash = TokenHasher.Hash(token),
            ClientId = clientId,
            Expires = now.UtcDateTime.AddMinutes(-1),
            Created = now.UtcDateTime.AddDays(-1),
            Updated = now.UtcDateTime.AddDays(-1),
        });
        await db.SaveChangesAsync();
        return token;
    }

    /// <summary>Asserts the tunnel's own problem answer with <paramref name="status"/>; returns its body.</summary>
    public static async Task<JsonElement> ShouldBeAuthProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, "the tunnel answered {0}", text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement.Clone();
        root.GetProperty("status").GetInt32().Should().Be((int)status);
        return root;
    }
}
