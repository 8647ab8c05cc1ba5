using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// The origin breaks off mid-body: a streamed caller sees an error, never a clean end of a short body, and a
/// buffered caller gets 502 problem JSON instead of the partial body.
/// </summary>
public sealed class OriginTruncationTests(StackFixture fixture) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    [Theory]
    [InlineData("/truncate/1000000/100000")]
    [InlineData("/truncate/1000000/300000")]
    [InlineData("/break/100000")]
    [InlineData("/break/300000")]
    public async Task Streamed_OriginBreaksOffMidBody_CallerSeesError(string path)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();

        using var response = await http.GetAsync(stack.Url(path), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var read = () => BodyHash.ReadAsync(response, cts.Token);

        await read.Should().ThrowAsync<IOException>("a truncated body must not end cleanly");
        cts.IsCancellationRequested.Should().BeFalse("the error must come from the tunnel, not from the test's timeout");
    }

    [Theory]
    [InlineData("/truncate/1000000/100000")]
    [InlineData("/break/100000")]
    public async Task Buffered_OriginBreaksOffMidBody_Returns502Problem(string path)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url(path));
        request.Headers.Add("X-Tunnel-Response", "buffered");

        using var response = await http.SendAsync(request, cts.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
