using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Forwarding;
using Tunnel.Tests.Fixtures;
using Xunit.Abstractions;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Per-request flow control: a caller that stops reading a 256 MiB body neither slows another request of the same
/// agent nor makes the server hold the body; 64 concurrent requests of one agent all complete byte-exact; a
/// 100 MiB upload passes without being held. Measures throughput and the process's managed heap, so it runs alone.
/// </summary>
[Collection(MeasuredCollection.Name)]
public sealed class FlowControlTests(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    private const long MiB = 1024 * 1024;
    private const long Large = 256 * MiB;
    private const long Probe = 64 * MiB;

    private PendingRequests Pending => fixture.Stack.Server.Services.GetRequiredService<PendingRequests>();

    [Fact]
    public async Task StalledCaller_BesideSecondRequest_SecondKeepsItsThroughput()
    {
        await TimedDownloadAsync(Probe / 4);
        var alone = await TimedDownloadAsync(Probe);

        await using var stalled = await OpenStalledAsync();
        await Task.Delay(500);
        var beside = await TimedDownloadAsync(Probe);

        output.WriteLine($"64 MiB download alone: {alone:0} MiB/s; beside a stalled 256 MiB download: {beside:0} MiB/s");
        (await Eventually.HoldsAsync(() => Pending.Count == 1, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("the second request finishes and the stalled one is still open");
        beside.Should().BeGreaterThan(alone / 4, "a stalled caller must not slow another request of the same agent");
        beside.Should().BeGreaterThan(10, "MiB/s, even on a busy machine");
    }

    [Fact]
    public async Task StalledCallers_256MiBBodies_ServerMemoryStaysBounded()
    {
        const int Callers = 4;
        await TimedDownloadAsync(Probe / 4);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var stalled = new List<RawHttpConnection>();
        for (var i = 0; i < Callers; i++)
        {
            stalled.Add(await OpenStalledAsync());
        }

        // Give each pipeline time to fill up to its credit window and stop.
        await Task.Delay(1500);
        var during = GC.GetTotalMemory(forceFullCollection: true);
        await Task.Delay(500);
        var later = GC.GetTotalMemory(forceFullCollection: true);
        var open = await Eventually.HoldsAsync(() => Pending.Count == Callers, TimeSpan.FromSeconds(5)) ? Callers : Pending.Count;
        var cancelled = fixture.Stack.Origin.CancelledRequests;
        foreach (var connection in stalled)
        {
            await connection.DisposeAsync();
        }

        var growth = Math.Max(during, later) - before;
        output.WriteLine($"managed heap with {Callers} stalled 256 MiB responses: +{growth / (double)MiB:0.00} MiB in all, {growth / (double)MiB / Callers:0.00} MiB per request");
        open.Should().Be(Callers, "every stalled request is still in flight while memory is measured");
        growth.Should().BeLessThan(4 * MiB * Callers, "memory per in-flight request is bounded by the credit window, not the 256 MiB body");
        (await Eventually.HoldsAsync(() => fixture.Stack.Origin.CancelledRequests >= cancelled + Callers, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("closing the stalled callers cancels their origin requests");
    }

    [Fact]
    public async Task ConcurrentRequests_64OfOneAgent_AllCompleteByteExact()
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = stack.CreateClient();
        await using var stalled = await OpenStalledAsync();
        var clock = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            var size = (256 * 1024) + (i * 7919L);
            var mode = i % 2 == 0 ? "streamed" : "buffered";
            using var request = i % 4 == 3
                ? new HttpRequestMessage(HttpMethod.Post, stack.Url("/upload")) { Content = new PatternContent(size, seed: i) }
                : new HttpRequestMessage(HttpMethod.Get, stack.Url($"/files/{size}"));
            request.Headers.Add("X-Tunnel-Response", mode);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            return i % 4 == 3
                ? (Got: (await response.Content.ReadFromJsonAsync<UploadResult>(cts.Token))!, Expected: BodyHash.OfPattern(size, seed: i))
                : (Got: await BodyHash.ReadAsync(response, cts.Token), Expected: BodyHash.OfPattern(size));
        }));

        output.WriteLine($"64 concurrent requests (~20 MiB in all) beside a stalled one: {clock.Elapsed.TotalSeconds:0.00} s");
        results.Should().HaveCount(64).And.OnlyContain(r => r.Got == r.Expected);
    }

    [Fact]
    public async Task Upload_100MiB_ServerNeverHoldsIt()
    {
        var stack = fixture.Stack;
        const long Size = 100 * MiB;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = stack.CreateClient();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, stack.Url("/upload")) { Content = new PatternContent(Size, seed: 5) };
        var clock = Stopwatch.StartNew();

        var sending = http.SendAsync(request, cts.Token);
        var peak = before;
        while (!sending.IsCompleted)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            await Task.WhenAny(sending, Task.Delay(100, cts.Token));
        }

        using var response = await sending;
        var result = await response.Content.ReadFromJsonAsync<UploadResult>(cts.Token);
        output.WriteLine($"100 MiB upload: {clock.Elapsed.TotalSeconds:0.00} s; managed heap peak +{(peak - before) / (double)MiB:0.00} MiB");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        result.Should().Be(BodyHash.OfPattern(Size, seed: 5));
        (peak - before).Should().BeLessThan(16 * MiB, "the upload streams through; nothing holds it whole");
    }

    /// <summary>A caller that reads the headers of a 256 MiB streamed response and then never reads again.</summary>
    private async Task<RawHttpConnection> OpenStalledAsync()
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var connection = await RawHttpConnection.OpenAsync(stack.Server.BaseAddress, cts.Token, receiveBufferSize: 64 * 1024);
        await connection.SendAsync("GET", stack.Url($"/files/{Large}"), [("Authorization", "Bearer " + stack.Token)], cts.Token);
        var head = await connection.ReadHeadAsync(cts.Token);
        head.StatusCode.Should().Be(200);
        head["Content-Length"].Should().Be(Large.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return connection;
    }

    /// <summary>Downloads <paramref name="size"/> pattern bytes streamed, checks them, and returns MiB/s.</summary>
    private async Task<double> TimedDownloadAsync(long size)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = stack.CreateClient();
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(stack.Url($"/files/{size}"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var received = await BodyHash.ReadAsync(response, cts.Token);
        var seconds = clock.Elapsed.TotalSeconds;
        received.Should().Be(BodyHash.OfPattern(size));
        return size / (double)MiB / seconds;
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
