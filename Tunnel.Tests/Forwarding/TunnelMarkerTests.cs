using System.Net;
using Microsoft.Extensions.Options;
using Tunnel.Agent;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// The agent marks every origin request with <c>User-Agent: MOOSICBOX_TUNNEL</c>, as MoosicBox's own tunnel does, so
/// that the home server refuses tunneled calls on its local-only routes (issue 9: before, a remote caller could add
/// scan paths on the home machine).
/// </summary>
public sealed class TunnelMarkerTests(StackFixture fixture) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")]
    [InlineData("MOOSICBOX_TUNNEL_NOT")]
    [InlineData(null)]
    public async Task Origin_CallerSentAnyUserAgent_SeesTheMarker(string? callerAgent)
    {
        using var http = fixture.Stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Stack.Url("/echo/ua"));
        if (callerAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", callerAgent);
        }

        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Echo-Header-User-Agent").Should().Equal(AgentOptions.DefaultOriginUserAgent);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task LocalOnlyHomeRoute_ThroughTheTunnel_IsRefusedByTheHome(string method)
    {
        // Called directly with a browser's User-Agent the route serves: the refusal below is the marker's doing.
        using var direct = new HttpClient { BaseAddress = fixture.Stack.Origin.BaseAddress };
        using var directRequest = new HttpRequestMessage(new HttpMethod(method), "/scan/scan-paths");
        directRequest.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0");
        using (var served = await direct.SendAsync(directRequest))
        {
            served.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var http = fixture.Stack.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), fixture.Stack.Url("/scan/scan-paths?path=%2Fhome"));
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0");
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Be("Unauthorized", "the home server refused it, not the tunnel");
    }

    [Fact]
    public async Task Origin_ConfiguredUserAgent_IsSentInstead()
    {
        await using var stack = await TunnelStack.StartAsync(agentSettings: new() { ["Agent:OriginUserAgent"] = "Custom-Origin/1.0" });
        using var http = stack.CreateClient();
        using var response = await http.GetAsync(stack.Url("/echo/ua"));
        response.Headers.GetValues("X-Echo-Header-User-Agent").Should().Equal("Custom-Origin/1.0");
    }

    [Theory]
    [InlineData(" leading space")]
    [InlineData("tab\there")]
    [InlineData("caf\u00e9")]
    public async Task Agent_BadOriginUserAgent_StopsNamingTheKey(string value)
    {
        var start = () => AgentHost.StartAsync(new Uri("http://127.0.0.1:1"), "home", "token-0123456789abcdef",
            new Uri("http://127.0.0.1:2"), new() { ["Agent:OriginUserAgent"] = value });
        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("Agent:OriginUserAgent");
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
