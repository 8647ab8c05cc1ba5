using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// The tunnel's own limits answer with problem JSON: a request body over MaxRequestBodyBytes gets 413 whether it
/// announced its length or not, and an agent at MaxInFlightPerAgent gets 503 with Retry-After.
/// </summary>
public sealed class ForwardingLimitTests(LimitsStackFixture fixture) : IClassFixture<LimitsStackFixture>, IDisposable
{
    private const long Limit = LimitsStackFixture.MaxRequestBodyBytes;

    private readonly LogWatch _logs = new(fixture.Stack);

    [Fact]
    public async Task Upload_AnnouncedOverBodyLimit_Returns413ProblemBeforeTheBody()
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, stack.Url("/upload")) { Content = new PatternContent(4 * Limit) };
        // With 100-continue the client waits for the verdict before sending the body, as large uploads should.
        request.Headers.ExpectContinue = true;
        var originRequests = stack.Origin.Requests;

        using var response = await http.SendAsync(request, cts.Token);

        (await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge)).Detail().Should().Contain("MaxRequestBodyBytes");
        stack.Origin.Requests.Should().Be(originRequests, "the request never reaches the origin");
    }

    [Fact]
    public async Task Upload_ChunkedPastBodyLimit_Returns413ProblemAndStopsOrigin()
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (requests, cancelled, uploads) = (stack.Origin.Requests, stack.Origin.CancelledRequests, stack.Origin.CompletedUploads);
        await using var connection = await RawHttpConnection.OpenAsync(stack.Server.BaseAddress, cts.Token);
        await connection.SendAsync("POST", stack.Url("/upload"),
            [("Authorization", "Bearer " + stack.Token), ("Transfer-Encoding", "chunked"), ("Content-Type", "application/octet-stream")], cts.Token);
        var clock = Stopwatch.StartNew();
        var sending = SendChunksAsync(connection.Body, 4 * Limit, cts.Token);

        var head = await connection.ReadHeadAsync(cts.Token);

        head.StatusCode.Should().Be(413);
        head["Content-Type"].Should().StartWith(ProblemAssertions.ProblemContentType);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the tunnel answers as soon as the body passes the limit");
        await sending;
        // Kestrel may refuse the body before the agent forwarded a byte (then the origin never sees the request) or
        // after (then the origin request must be cancelled): either way the origin never completes a truncated upload.
        (await Eventually.HoldsAsync(
                () => stack.Origin.Requests == requests || stack.Origin.CancelledRequests > cancelled, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("a started origin request is cancelled");
        (await Eventually.HoldsAsync(() => stack.Origin.EndedRequests == stack.Origin.Requests, TimeSpan.FromSeconds(5))).Should().BeTrue("the origin's handler has finished");
        stack.Origin.CompletedUploads.Should().Be(uploads, "the origin must not receive a truncated body as if it were complete");
    }

    [Fact]
    public async Task Upload_ChunkedUnderBodyLimit_ReachesOrigin()
    {
        var stack = fixture.Stack;
        using var http = stack.CreateClient();
        // Kestrel's check of chunked bodies is not byte-exact at the boundary, so stay clearly under it.
        const long Size = Limit - (128 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, stack.Url("/upload"))
        {
            Content = new PatternContent(Size, announceLength: false),
        };

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<UploadResult>()).Should().Be(BodyHash.OfPattern(Size));
    }

    /// <summary>Writes chunked framing until <paramref name="total"/> bytes or until the server closes.</summary>
    private static async Task SendChunksAsync(Stream stream, long total, CancellationToken cancellationToken)
    {
        var chunk = new byte[64 * 1024];
        var frameHead = System.Text.Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n");
        var frameEnd = "\r\n"u8.ToArray();
        try
        {
            for (long sent = 0; sent < total; sent += chunk.Length)
            {
                await stream.WriteAsync(frameHead, cancellationToken);
                await stream.WriteAsync(chunk, cancellationToken);
                await stream.WriteAsync(frameEnd, cancellationToken);
            }
        }
        catch (IOException)
        {
            // The server answered and closed: expected.
        }
    }

    [Fact]
    public async Task Request_AgentAtInFlightLimit_Returns503ProblemWithRetryAfter()
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        var requests = stack.Origin.Requests;
        var busy = Enumerable.Range(0, LimitsStackFixture.MaxInFlightPerAgent)
            .Select(_ => http.GetAsync(stack.Url("/slow/3000"), cts.Token))
            .ToList();
        (await Eventually.HoldsAsync(() => stack.Origin.Requests >= requests + LimitsStackFixture.MaxInFlightPerAgent, TimeSpan.FromSeconds(10)))
            .Should().BeTrue();

        using var response = await http.GetAsync(stack.Url("/json"), cts.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        foreach (var slow in busy)
        {
            using var done = await slow;
            done.StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
