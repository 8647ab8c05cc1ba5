using System.Net;
using System.Net.WebSockets;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>Failed authentication attempts are limited per remote address: over the limit every route answers 429.</summary>
public sealed class RateLimitTests
{
    private const int Limit = 3;

    [Fact]
    public async Task FailedAttempts_OverLimit_Return429WithRetryAfterOnEveryAuthenticatingRoute()
    {
        await using var stack = await TunnelStack.StartAsync(new ServerSettings
        {
            Extra = { ["Tunnel:Auth:FailedAttemptsPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        using var wrong = stack.Server.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "wrong-token-" + Guid.NewGuid());
        for (var i = 0; i < Limit; i++)
        {
            using var refused = await wrong.GetAsync(stack.Url("/json"));
            await refused.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        }

        // Now even the right token is turned away from this address, before it is checked.
        using var right = stack.CreateClient();
        using (var limited = await right.GetAsync(stack.Url("/json")))
        {
            await limited.ShouldBeAuthProblemAsync(HttpStatusCode.TooManyRequests);
            var retryAfter = limited.Headers.RetryAfter!.Delta!.Value;
            retryAfter.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(60 / Limit));
        }

        foreach (var (method, url) in new[]
                 {
                     (HttpMethod.Post, $"/auth/signature-token?clientId={stack.ClientId}"),
                     (HttpMethod.Post, $"/auth/validate-signature-token?clientId={stack.ClientId}&signature=x"),
                     (HttpMethod.Get, "/auth/magic-token?magicToken=00000000-0000-0000-0000-000000000000"),
                     (HttpMethod.Post, $"/auth/register-client?clientId=x"),
                 })
        {
            using var response = await AuthApi.SendAsBearerAsync(stack.Server, method, url, stack.Token);
            await response.ShouldBeAuthProblemAsync(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter.Should().NotBeNull();
        }

        var connect = async () =>
        {
            await using var agent = await RawAgentConnection.ConnectAsync(stack.Server, stack.ClientId, stack.Token);
        };
        (await connect.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("429");
        stack.Server.Logs.GetSnapshot().Should().Contain(r => r.Id.Name == "AuthRateLimited");

        // Another address is not affected, and the connected agent keeps serving it.
        using var elsewhere = SourceAddressClient.Create(stack.Server.BaseAddress, IPAddress.Parse("127.0.0.2"));
        elsewhere.DefaultRequestHeaders.Authorization = new("Bearer", stack.Token);
        using var served = await elsewhere.GetAsync(stack.Url("/json"));
        served.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task MissingCredentials_AreRefusedButNotCounted()
    {
        await using var stack = await TunnelStack.StartAsync(new ServerSettings
        {
            Extra = { ["Tunnel:Auth:FailedAttemptsPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        using var anonymous = SourceAddressClient.Create(stack.Server.BaseAddress, IPAddress.Parse("127.0.0.3"));
        for (var i = 0; i < Limit * 3; i++)
        {
            using var refused = await anonymous.GetAsync(stack.Url("/json"));
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", stack.Token);
        using var served = await anonymous.GetAsync(stack.Url("/json"));
        served.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Limit_Refills_AttemptsAllowedAgainAfterRetryAfter()
    {
        // 120 a minute: one attempt back every 0.5 s.
        await using var server = await TunnelServer.StartAsync(new ServerSettings { Extra = { ["Tunnel:Auth:FailedAttemptsPerMinute"] = "120" } });
        using var http = SourceAddressClient.Create(server.BaseAddress, IPAddress.Parse("127.0.0.4"));
        TimeSpan? retryAfter = null;
        for (var i = 0; i < 400 && retryAfter is null; i++)
        {
            using var response = await http.PostAsync("/auth/validate-signature-token?clientId=x&signature=wrong-signature-0123456789", null);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter = response.Headers.RetryAfter!.Delta;
            }
        }

        retryAfter.Should().NotBeNull("the limit is reached within 400 attempts");
        await Task.Delay(retryAfter!.Value + TimeSpan.FromMilliseconds(300));
        using var again = await http.PostAsync("/auth/validate-signature-token?clientId=x&signature=wrong-signature-0123456789", null);
        again.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
