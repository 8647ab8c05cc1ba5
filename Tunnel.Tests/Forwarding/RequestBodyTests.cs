using System.Net;
using System.Net.Http.Json;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Request bodies of any size and content type stream up to the origin byte-exact (SHA-256), with and without a
/// Content-Length, and echo back down intact.
/// </summary>
public sealed class RequestBodyTests(StackFixture fixture) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    private const int Chunk = 64 * 1024;

    public static TheoryData<long, string, bool> UploadCases()
    {
        var data = new TheoryData<long, string, bool>();
        foreach (var size in new long[] { 0, 1, Chunk - 1, Chunk, Chunk + 1, 10 * 1024 * 1024 })
        {
            foreach (var mode in new[] { "streamed", "buffered" })
            {
                data.Add(size, mode, true);
                data.Add(size, mode, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UploadCases))]
    public async Task Upload_OfSize_ReachesOriginByteExact(long size, string mode, bool announceLength)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, stack.Url("/upload"))
        {
            Content = new PatternContent(size, seed: 7, announceLength),
        };
        request.Headers.Add("X-Tunnel-Response", mode);

        using var response = await http.SendAsync(request, cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<UploadResult>(cts.Token)).Should().Be(BodyHash.OfPattern(size, seed: 7));
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("application/json")]
    [InlineData("multipart/form-data; boundary=----tunnel")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("audio/flac")]
    [InlineData("image/jpeg")]
    public async Task Upload_OfContentType_ReachesOriginWithTypeAndBytes(string contentType)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, stack.Url("/echo/typed"))
        {
            Content = new PatternContent(300_000, seed: 3, contentType: contentType),
        };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Echo-Header-Content-Type").Should().Equal(contentType);
        response.Headers.GetValues("X-Echo-Header-Content-Length").Should().Equal("300000");
        (await BodyHash.ReadAsync(response, cts.Token)).Should().Be(BodyHash.OfPattern(300_000, seed: 3));
    }

    [Theory]
    [InlineData(401, true)]
    [InlineData(401, false)]
    [InlineData(200, false)]
    public async Task Upload_OriginAnswersWithoutReadingIt_CallerGetsOriginsAnswer(int status, bool announceLength)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, stack.Url($"/status/{status}"))
        {
            Content = new PatternContent(10 * 1024 * 1024, announceLength: announceLength),
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await http.SendAsync(request, cts.Token);

        ((int)response.StatusCode).Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().NotBe(ProblemAssertions.ProblemContentType);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    public static TheoryData<long, string> EchoCases()
    {
        var data = new TheoryData<long, string>();
        foreach (var size in new long[] { 0, 1, Chunk - 1, Chunk, Chunk + 1, 2 * 1024 * 1024 })
        {
            data.Add(size, "streamed");
            data.Add(size, "buffered");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EchoCases))]
    public async Task Echo_OfSize_ComesBackByteExact(long size, string mode)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, stack.Url("/echo/body"))
        {
            Content = new PatternContent(size, seed: 11),
        };
        request.Headers.Add("X-Tunnel-Response", mode);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await BodyHash.ReadAsync(response, cts.Token)).Should().Be(BodyHash.OfPattern(size, seed: 11));
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
