using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Response bodies around the 64 KiB chunk size and beyond come down byte-exact (SHA-256) in both modes, from an
/// origin that announces their length and from one that streams them chunked.
/// </summary>
public sealed class ResponseBodySizeTests(StackFixture fixture) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    private const int Chunk = 64 * 1024;

    public static TheoryData<long, string> SizesAndModes()
    {
        var data = new TheoryData<long, string>();
        foreach (var size in new long[] { 0, 1, Chunk - 1, Chunk, Chunk + 1, 10 * 1024 * 1024 })
        {
            data.Add(size, "streamed");
            data.Add(size, "buffered");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SizesAndModes))]
    public async Task Download_OfSize_ArrivesByteExact(long size, string mode)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url($"/files/{size}"));
        request.Headers.Add("X-Tunnel-Response", mode);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(size);
        (await BodyHash.ReadAsync(response, cts.Token)).Should().Be(BodyHash.OfPattern(size));
    }

    [Theory]
    [InlineData(1, "streamed")]
    [InlineData(1, "buffered")]
    [InlineData(40, "streamed")]
    [InlineData(40, "buffered")]
    public async Task Download_ChunkedFromOrigin_ArrivesComplete(int chunks, string mode)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url($"/drip/{chunks}/0"));
        request.Headers.Add("X-Tunnel-Response", mode);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var expected = new UploadResult((long)chunks * Chunk, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[chunks * Chunk])));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await BodyHash.ReadAsync(response, cts.Token)).Should().Be(expected);
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
