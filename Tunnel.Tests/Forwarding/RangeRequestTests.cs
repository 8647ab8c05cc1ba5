using System.Net;
using System.Net.Http.Headers;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Range (RFC 9110 §14) reaches the origin and its 206 with Content-Range comes back unchanged and byte-exact, so
/// a player can seek; HEAD answers headers, Content-Length included, and no body.
/// </summary>
public sealed class RangeRequestTests(StackFixture fixture) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    // Outlives each response: the body is read after the helper returns.
    private readonly HttpClient _http = fixture.Stack.CreateClient();

    private const long Track = 256L * 1024 * 1024;

    public static TheoryData<long, long, long, string> Ranges()
    {
        var data = new TheoryData<long, long, long, string>();
        foreach (var mode in new[] { "streamed", "buffered" })
        {
            data.Add(0, 0, 1000, mode);
            data.Add(100, 199, 1000, mode);
            data.Add(999, 999, 1000, mode);
            data.Add(65_535, 131_072, 1_000_000, mode);
            // A seek into the middle of a long track.
            data.Add(150_000_000, 151_048_575, Track, mode);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task Range_BytesFromTo_Returns206WithContentRangeAndExactBytes(long from, long to, long total, string mode)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/files/{total}", $"bytes={from}-{to}", mode);

        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        response.Content.Headers.GetValues("Content-Range").Should().Equal($"bytes {from}-{to}/{total}");
        response.Content.Headers.ContentLength.Should().Be(to - from + 1);
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(to - from + 1, from: from));
    }

    [Theory]
    [InlineData("bytes=900-", 900, 999)]
    [InlineData("bytes=-100", 900, 999)]
    public async Task Range_OpenEnded_Returns206ForTheTail(string range, long from, long to)
    {
        using var response = await SendAsync(HttpMethod.Get, "/files/1000", range, "streamed");

        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        response.Content.Headers.GetValues("Content-Range").Should().Equal($"bytes {from}-{to}/1000");
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(to - from + 1, from: from));
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task Range_Unsatisfiable_Returns416FromOrigin(string mode)
    {
        using var response = await SendAsync(HttpMethod.Get, "/files/1000", "bytes=5000-6000", mode);

        response.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
        response.Content.Headers.GetValues("Content-Range").Should().Equal("bytes */1000");
        response.Content.Headers.ContentType?.MediaType.Should().NotBe(ProblemAssertions.ProblemContentType);
    }

    [Theory]
    [InlineData("streamed", 0)]
    [InlineData("buffered", 0)]
    [InlineData("streamed", 1)]
    [InlineData("streamed", Track)]
    [InlineData("buffered", Track)]
    public async Task Head_File_ReturnsHeadersWithContentLengthAndNoBody(string mode, long size)
    {
        using var response = await SendAsync(HttpMethod.Head, $"/files/{size}", null, mode);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(size);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
        response.Headers.AcceptRanges.Should().Contain("bytes");
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("streamed")]
    [InlineData("buffered")]
    public async Task Head_WithRange_Returns206HeadersAndNoBody(string mode)
    {
        using var response = await SendAsync(HttpMethod.Head, "/files/1000", "bytes=10-19", mode);

        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        response.Content.Headers.GetValues("Content-Range").Should().Equal("bytes 10-19/1000");
        response.Content.Headers.ContentLength.Should().Be(10);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? range, string mode)
    {
        var stack = fixture.Stack;
        using var request = new HttpRequestMessage(method, stack.Url(path));
        request.Headers.Add("X-Tunnel-Response", mode);
        if (range is not null)
        {
            request.Headers.Range = RangeHeaderValue.Parse(range);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Headers as the tunnel sent them: buffering the body here would make HttpClient compute a Content-Length.
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
    }

    public void Dispose()
    {
        _http.Dispose();
        _logs.ShouldHaveNoErrors();
    }
}
