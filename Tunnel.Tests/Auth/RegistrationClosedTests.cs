using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

public sealed class RegistrationClosedTests
{
    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task RegisterClient_NoAdminTokenConfigured_IsClosedWithExplanation(string? presented)
    {
        await using var server = await TunnelServer.StartAsync(new ServerSettings { Extra = { ["Tunnel:AdminToken"] = string.Empty } });
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/register-client?clientId=x");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + presented);
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Tunnel:AdminToken");
    }
}
