using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Forwarding;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>All buffered responses of a node share one memory budget; over it callers get 503, not an out-of-memory node.</summary>
public sealed class BufferBudgetTests(BufferBudgetTests.Fixture fixture) : IClassFixture<BufferBudgetTests.Fixture>
{
    [Fact]
    public async Task Buffered_OverNodeBudget_Gets503WithRetryAfter_AndReleasesWhatItHeld()
    {
        var stack = fixture.Stack;
        using var http = stack.CreateClient();

        using (var over = await GetAsync(http, stack.Url("/files/300000"), buffered: true))
        {
            over.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            over.Headers.RetryAfter.Should().NotBeNull();
            over.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await over.Content.ReadAsStringAsync()).Should().Contain("Tunnel:Forwarding:BufferedTotalMaxBytes");
        }

        // Streamed mode holds no whole body, so it is not limited by the budget.
        using (var streamed = await GetAsync(http, stack.Url("/files/300000"), buffered: false))
        {
            streamed.StatusCode.Should().Be(HttpStatusCode.OK);
            (await BodyHash.ReadAsync(streamed, CancellationToken.None)).Should().Be(BodyHash.OfPattern(300_000));
        }

        // What the refused request held was given back: a body under the budget still buffers.
        var budget = stack.Server.Services.GetRequiredService<BufferBudget>();
        (await Eventually.HoldsAsync(() => budget.Used == 0, TimeSpan.FromSeconds(5))).Should().BeTrue();
        using var under = await GetAsync(http, stack.Url("/files/150000"), buffered: true);
        under.StatusCode.Should().Be(HttpStatusCode.OK);
        under.Content.Headers.ContentLength.Should().Be(150_000);
        (await BodyHash.ReadAsync(under, CancellationToken.None)).Should().Be(BodyHash.OfPattern(150_000));
        budget.Used.Should().Be(0);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string url, bool buffered)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (buffered)
        {
            request.Headers.Add("X-Tunnel-Response", "buffered");
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public sealed class Fixture : StackFixture
    {
        protected override Dictionary<string, string> ServerExtra => new() { ["Tunnel:Forwarding:BufferedTotalMaxBytes"] = "200000" };
    }
}
