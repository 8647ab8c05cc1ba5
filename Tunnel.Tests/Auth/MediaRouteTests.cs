using System.Net;
using System.Net.Http.Headers;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>
/// The media routes take a signature token in the query (for <c>&lt;audio src&gt;</c>), and a signature token opens
/// nothing else.
/// </summary>
public sealed class MediaRouteTests(AuthStackFixture fixture) : IClassFixture<AuthStackFixture>
{
    private TunnelStack Stack => fixture.Stack;

    [Fact]
    public async Task Track_WithSignature_StreamsWholeFileAndRanges()
    {
        var signature = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);
        using var http = Stack.Server.CreateClient();
        var url = BadCredentials.WithSignature(Stack.Url("/files/track"), signature);

        using var whole = await http.GetAsync(url);
        whole.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ExpectedBody.Sha256Async(whole)).Should().Be(ExpectedBody.TrackSha256(Stack.Origin.Seed));

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var part = await http.SendAsync(request);
        part.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        part.Content.Headers.ContentRange!.ToString().Should().Be("bytes 1000-1999/100000");
        (await part.Content.ReadAsByteArrayAsync()).Should().Equal(Enumerable.Range(1000, 1000).Select(i => PatternStream.At(i, Stack.Origin.Seed)));
    }

    [Theory]
    [InlineData("GET", "/files/albums/42/300x300")]
    [InlineData("HEAD", "/files/albums/42/300x300")]
    [InlineData("GET", "/files/artists/7/120")]
    [InlineData("HEAD", "/files/track")]
    public async Task Covers_WithSignature_AreForwarded(string method, string path)
    {
        var signature = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);
        using var http = Stack.Server.CreateClient();
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), BadCredentials.WithSignature(Stack.Url(path), signature)));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        if (method == "GET" && path.StartsWith("/files/a", StringComparison.Ordinal))
        {
            (await response.Content.ReadAsStringAsync()).Should().Be($"{path["/files/".Length..]}/seed-{Stack.Origin.Seed}");
        }
    }

    [Fact]
    public async Task Options_WithSignature_IsForwardedNotRefused()
    {
        var signature = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);
        using var http = Stack.Server.CreateClient();
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, BadCredentials.WithSignature(Stack.Url("/files/track"), signature)));
        response.StatusCode.Should().NotBe(HttpStatusCode.Unauthorized, "OPTIONS is a media method; the origin decides what it answers");
    }

    [Fact]
    public async Task Track_WithBearer_IsServedToo()
    {
        using var http = Stack.CreateClient();
        using var response = await http.GetAsync(Stack.Url("/files/track"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(BadCredential.Missing)]
    [InlineData(BadCredential.Malformed)]
    [InlineData(BadCredential.Expired)]
    [InlineData(BadCredential.OtherClients)]
    [InlineData(BadCredential.Revoked)]
    public async Task Track_BadSignature_Returns401(BadCredential kind)
    {
        var (clientId, signature) = await BadCredentials.SignatureAsync(kind, fixture);
        using var http = Stack.Server.CreateClient();
        using var response = await http.GetAsync(BadCredentials.WithSignature($"/files/track?clientId={clientId}", signature));
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("GET", "/json")]
    [InlineData("GET", "/files/12345")]
    [InlineData("GET", "/echo/files/track")]
    [InlineData("POST", "/files/track")]
    [InlineData("DELETE", "/files/track")]
    [InlineData("GET", "/files/track/more")]
    [InlineData("GET", "/files/albums/1")]
    [InlineData("GET", "/files/albums/1/300/more")]
    [InlineData("GET", "/files/albums/1/..%2F..%2F..%2Fjson")]
    [InlineData("GET", "/files/albums/../../json/x")]
    [InlineData("GET", "/files/albums/%2E%2E/x")]
    [InlineData("GET", "/FILES/TRACK")]
    public async Task Signature_OutsideMediaRoutes_Returns401(string method, string path)
    {
        var signature = await AuthApi.CreateSignatureAsync(Stack.Server, Stack.ClientId, Stack.Token);
        using var http = Stack.Server.CreateClient();
        var requestsBefore = Stack.Origin.Requests;
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), BadCredentials.WithSignature(Stack.Url(path), signature)));
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        Stack.Origin.Requests.Should().Be(requestsBefore, "nothing reaches the home server");
    }
}
