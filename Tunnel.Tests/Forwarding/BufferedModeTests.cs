using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// "Data Blocking Request": the whole body is collected and sent with Content-Length; over the cap (1 MiB in this
/// class) the caller gets 502 problem JSON and the agent is told to stop, so the origin sees its request cancelled.
/// </summary>
public sealed class BufferedModeTests(SmallBufferStackFixture fixture) : IClassFixture<SmallBufferStackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    // Outlives each response: the body is read after the helper returns.
    private readonly HttpClient _http = fixture.Stack.CreateClient();

    private const long Cap = SmallBufferStackFixture.BufferedResponseMaxBytes;

    [Fact]
    public async Task Buffered_ChunkedOrigin_SentWithContentLength()
    {
        using var response = await SendAsync("/drip/4/0", "buffered");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(4 * 64 * 1024);
        response.Headers.TransferEncodingChunked.Should().NotBe(true);
        (await response.Content.ReadAsByteArrayAsync()).Should().HaveCount(4 * 64 * 1024);
    }

    [Fact]
    public async Task Buffered_BodyExactlyAtCap_Sent()
    {
        using var response = await SendAsync($"/files/{Cap}", "buffered");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(Cap);
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(Cap));
    }

    [Fact]
    public async Task Buffered_BodyOverCap_Returns502ProblemWithClearDetail()
    {
        using var response = await SendAsync($"/files/{Cap + 1}", "buffered");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        problem.Detail().Should().Contain(Cap.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .And.Contain("BufferedResponseMaxBytes");
    }

    [Fact]
    public async Task Buffered_EndlessBodyOverCap_AgentStopsOriginRequest()
    {
        var origin = fixture.Stack.Origin;
        var cancelledBefore = origin.CancelledRequests;

        // The origin sends 2 MiB and then holds its response open: only a cancel from the agent ends it.
        using var response = await SendAsync("/stall/2097152", "buffered");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        (await Eventually.HoldsAsync(() => origin.CancelledRequests > cancelledBefore, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("the server tells the agent to stop, and the agent cancels the origin request");
    }

    [Fact]
    public async Task Streamed_BodyOverBufferCap_Unaffected()
    {
        using var response = await SendAsync($"/files/{2 * Cap}", "streamed");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(2 * Cap));
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string mode)
    {
        var stack = fixture.Stack;
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url(path));
        request.Headers.Add("X-Tunnel-Response", mode);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Headers as the tunnel sent them: buffering the body here would make HttpClient compute a Content-Length.
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
    }

    public void Dispose()
    {
        _http.Dispose();
        _logs.ShouldHaveNoErrors();
    }
}
