using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Tunnel.Tests.Fixtures;
using Xunit.Abstractions;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// A 256 MiB body (a long FLAC track) down and up, byte-exact by SHA-256, in both modes. Buffered mode's cap is
/// raised above it for this class. Bodies are hashed as they arrive; the test never holds them.
/// </summary>
public sealed class LargeBodyTests(LargeBufferStackFixture fixture, ITestOutputHelper output) : IClassFixture<LargeBufferStackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    private const long Size = 256L * 1024 * 1024;

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task Download_256MiB_ArrivesByteExact(string mode)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url($"/files/{Size}"));
        request.Headers.Add("X-Tunnel-Response", mode);
        var clock = Stopwatch.StartNew();

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var received = await BodyHash.ReadAsync(response, cts.Token);

        output.WriteLine($"{mode} download of 256 MiB: {clock.Elapsed.TotalSeconds:0.00} s, {Size / 1048576.0 / clock.Elapsed.TotalSeconds:0} MiB/s");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(Size);
        received.Should().Be(BodyHash.OfPattern(Size));
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task Upload_256MiB_ReachesOriginByteExact(string mode)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, stack.Url("/upload"))
        {
            Content = new PatternContent(Size, announceLength: mode == "streamed"),
        };
        request.Headers.Add("X-Tunnel-Response", mode);
        var clock = Stopwatch.StartNew();

        using var response = await http.SendAsync(request, cts.Token);
        var result = await response.Content.ReadFromJsonAsync<UploadResult>(cts.Token);

        output.WriteLine($"upload of 256 MiB ({mode} answer): {clock.Elapsed.TotalSeconds:0.00} s, {Size / 1048576.0 / clock.Elapsed.TotalSeconds:0} MiB/s");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        result.Should().Be(BodyHash.OfPattern(Size));
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
