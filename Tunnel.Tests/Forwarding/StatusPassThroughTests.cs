using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>The origin's status comes back unchanged, and is never dressed up as a tunnel problem.</summary>
public sealed class StatusPassThroughTests(StackFixture fixture) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    [Theory]
    [InlineData(200, "streamed")]
    [InlineData(200, "buffered")]
    [InlineData(206, "streamed")]
    [InlineData(206, "buffered")]
    [InlineData(304, "streamed")]
    [InlineData(304, "buffered")]
    [InlineData(404, "streamed")]
    [InlineData(404, "buffered")]
    [InlineData(500, "streamed")]
    [InlineData(500, "buffered")]
    [InlineData(418, "streamed")]
    [InlineData(503, "buffered")]
    public async Task Status_FromOrigin_PassedThroughUnchanged(int status, string mode)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url($"/status/{status}"));
        request.Headers.Add("X-Tunnel-Response", mode);

        using var response = await http.SendAsync(request, cts.Token);
        var body = await response.Content.ReadAsStringAsync(cts.Token);

        ((int)response.StatusCode).Should().Be(status);
        body.Should().BeEmpty("the origin sent no body, and the tunnel must not add one");
        response.Content.Headers.ContentType?.MediaType.Should().NotBe(ProblemAssertions.ProblemContentType);
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task Status_RangeRequest_Returns206FromOrigin(string mode)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url("/files/1000"));
        request.Headers.Add("X-Tunnel-Response", mode);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 19);

        using var response = await http.SendAsync(request, cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await BodyHash.ReadAsync(response, cts.Token)).Should().Be(BodyHash.OfPattern(10, from: 10));
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
