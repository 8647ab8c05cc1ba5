using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Forwarding;
using Tunnel.Tests.Fixtures;
using Xunit.Abstractions;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// The HTTP caller goes away (before the headers, mid-body in either mode, mid-upload): the agent's origin request
/// is cancelled within 1 s. Timed, so it runs in the measured collection.
/// </summary>
[Collection(MeasuredCollection.Name)]
public sealed class ClientAbortTests(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ClientAbort_BeforeHeaders_OriginCancelledWithin1s()
    {
        var origin = fixture.Stack.Origin;
        using var http = fixture.Stack.CreateClient();
        using var abort = new CancellationTokenSource();
        var (requests, cancelled) = (origin.Requests, origin.CancelledRequests);
        var sending = http.GetAsync(fixture.Stack.Url("/slow/30000"), abort.Token);
        (await Eventually.HoldsAsync(() => origin.Requests > requests, TimeSpan.FromSeconds(10))).Should().BeTrue();

        var clock = Stopwatch.StartNew();
        await abort.CancelAsync();
        var elapsed = await WaitForCancellationAsync(origin, cancelled, clock);

        await sending.Invoking(s => s).Should().ThrowAsync<OperationCanceledException>();
        output.WriteLine($"origin cancelled {elapsed.TotalMilliseconds:0} ms after the caller left (before headers)");
        elapsed.Should().BeLessThan(Limit);
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task ClientAbort_MidBody_OriginCancelledWithin1s(string mode)
    {
        var stack = fixture.Stack;
        var origin = stack.Origin;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (requests, cancelled) = (origin.Requests, origin.CancelledRequests);
        var connection = await RawHttpConnection.OpenAsync(stack.Server.BaseAddress, cts.Token);
        await connection.SendAsync("GET", stack.Url("/stall/100000"), [("Authorization", "Bearer " + stack.Token), ("X-Tunnel-Response", mode)], cts.Token);
        if (mode == "streamed")
        {
            (await connection.ReadHeadAsync(cts.Token)).StatusCode.Should().Be(200);
        }
        else
        {
            // Buffered: no head ever comes for an endless body; wait until the server holds the bytes the origin sent.
            var budget = stack.Server.Services.GetRequiredService<BufferBudget>();
            (await Eventually.HoldsAsync(() => budget.Used >= 100_000, TimeSpan.FromSeconds(10))).Should().BeTrue();
        }

        var clock = Stopwatch.StartNew();
        await connection.DisposeAsync();
        var elapsed = await WaitForCancellationAsync(origin, cancelled, clock);

        output.WriteLine($"origin cancelled {elapsed.TotalMilliseconds:0} ms after the caller left ({mode}, mid-body)");
        elapsed.Should().BeLessThan(Limit);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientAbort_MidUpload_OriginCancelledWithin1sAndNeverCompletes(bool chunked)
    {
        var stack = fixture.Stack;
        var origin = stack.Origin;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (requests, cancelled, uploads, uploaded) = (origin.Requests, origin.CancelledRequests, origin.CompletedUploads, origin.UploadedBytes);
        var connection = await RawHttpConnection.OpenAsync(stack.Server.BaseAddress, cts.Token);
        await connection.SendAsync("POST", stack.Url("/upload"),
            [("Authorization", "Bearer " + stack.Token), chunked ? ("Transfer-Encoding", "chunked") : ("Content-Length", "10000000"),
             ("Content-Type", "application/octet-stream")], cts.Token);
        for (var i = 0; i < 5; i++)
        {
            // 5 × 64 KiB; as chunked framing when chunked, so that the body so far is well-formed.
            if (chunked)
            {
                await connection.Body.WriteAsync("10000\r\n"u8.ToArray(), cts.Token);
            }

            await connection.Body.WriteAsync(new byte[64 * 1024], cts.Token);
            if (chunked)
            {
                await connection.Body.WriteAsync("\r\n"u8.ToArray(), cts.Token);
            }
        }

        // Mid-upload: the origin is reading the body.
        (await Eventually.HoldsAsync(() => origin.Requests > requests && origin.UploadedBytes > uploaded, TimeSpan.FromSeconds(10))).Should().BeTrue();

        var clock = Stopwatch.StartNew();
        await connection.DisposeAsync();
        var elapsed = await WaitForCancellationAsync(origin, cancelled, clock);

        output.WriteLine($"origin cancelled {elapsed.TotalMilliseconds:0} ms after the caller left (mid-upload, {(chunked ? "chunked" : "with Content-Length")})");
        elapsed.Should().BeLessThan(Limit);
        (await Eventually.HoldsAsync(() => origin.EndedRequests == origin.Requests, TimeSpan.FromSeconds(5))).Should().BeTrue("the origin's handler has finished");
        origin.CompletedUploads.Should().Be(uploads, "a truncated upload must never reach the origin as a complete one");
    }

    /// <summary>Polls finely (the bound is what is measured) and gives up after 5 s.</summary>
    private static async Task<TimeSpan> WaitForCancellationAsync(OriginApp origin, int cancelledBefore, Stopwatch clock)
    {
        while (origin.CancelledRequests <= cancelledBefore && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(5);
        }

        origin.CancelledRequests.Should().BeGreaterThan(cancelledBefore, "the origin request must be cancelled");
        return clock.Elapsed;
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
