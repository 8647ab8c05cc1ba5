using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

public sealed class SmokeTests
{
    [Fact]
    public async Task Get_Json_ThroughTunnel_ReturnsOriginBody()
    {
        await using var stack = await TunnelStack.StartAsync();
        using var http = stack.CreateClient();
        using var response = await http.GetAsync(stack.Url("/json"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"hello\":\"world\"");
    }
}
