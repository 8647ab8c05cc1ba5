using System.Diagnostics;
using System.Net;
using Tunnel.Tests.Fixtures;
using Xunit.Abstractions;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// "Data Stream Request": bytes reach the caller as the origin produces them; the first leaves long before the
/// last is read at home. Timed, so it runs in the measured collection.
/// </summary>
[Collection(MeasuredCollection.Name)]
public sealed class StreamedModeTests(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    [Fact]
    public async Task Streamed_SlowOrigin_FirstBytesArriveBeforeTheLastAreSent()
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        var clock = Stopwatch.StartNew();

        // 10 chunks of 64 KiB, 200 ms apart: the origin needs about 2 s for the whole body.
        using var response = await http.GetAsync(stack.Url("/drip/10/200"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
        await body.ReadExactlyAsync(new byte[64 * 1024], cts.Token);
        var firstChunk = clock.Elapsed;
        var rest = await BodyHash.ReadAsync(body, cts.Token);
        var all = clock.Elapsed;

        output.WriteLine($"first 64 KiB after {firstChunk.TotalMilliseconds:0} ms, whole body after {all.TotalMilliseconds:0} ms");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        rest.Length.Should().Be(9 * 64 * 1024);
        firstChunk.Should().BeLessThan(all - TimeSpan.FromSeconds(1), "streamed mode must not wait for the whole body");
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
