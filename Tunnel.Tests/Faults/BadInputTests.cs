using System.Net;
using System.Net.Http.Headers;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Faults;

/// <summary>Garbage from callers: every answer is a 4xx with a problem body, never a 500, and the server stays healthy.</summary>
public sealed class BadInputTests(BadInputTests.Fixture fixture) : IClassFixture<BadInputTests.Fixture>
{
    private TunnelStack Stack => fixture.Stack;

    public static TheoryData<string> Methods => ["FOO", "PROPFIND", "M-SEARCH", "BREW", "TRACE", "CONNECTX"];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task UnusualMethods_AreForwardedOrRefused_NeverServerErrors(string method)
    {
        using var http = Stack.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), Stack.Url("/echo/x"));
        using var response = await http.SendAsync(request);
        ((int)response.StatusCode).Should().BeLessThan(500);
    }

    [Theory]
    [InlineData("/echo/%zz")]
    [InlineData("/echo/%")]
    [InlineData("/echo/a%2")]
    [InlineData("/echo/%00")]
    [InlineData("/echo/%C3%28")]
    [InlineData("/echo/x?y=%zz&z=%")]
    public async Task InvalidPercentEncoding_NeverServerErrors(string target)
    {
        await using var raw = await RawHttpConnection.OpenAsync(Stack.Server.BaseAddress, CancellationToken.None);
        await raw.SendAsync("GET", Stack.Url(target), [("Authorization", "Bearer " + Stack.Token)], CancellationToken.None);
        var head = await raw.ReadHeadAsync(CancellationToken.None);
        head.StatusCode.Should().BeLessThan(500);
    }

    [Theory]
    [InlineData("/json?clientId=%zz")]
    [InlineData("/json?clientId=%C3%A9")]
    [InlineData("/json?clientId=a%20b")]
    public async Task InvalidClientIds_Get400Problem(string target)
    {
        using var http = Stack.CreateClient();
        using var response = await http.GetAsync(target);
        await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OverLongClientId_Gets400Problem()
    {
        using var http = Stack.CreateClient();
        using var response = await http.GetAsync("/json?clientId=" + new string('a', 5000));
        await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("bearer a b c")]
    [InlineData("Token abc")]
    public async Task MalformedAuthorization_Gets401Problem(string value)
    {
        using var http = Stack.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Stack.Url("/json"));
        request.Headers.TryAddWithoutValidation("Authorization", value);
        using var response = await http.SendAsync(request);
        await ExpectProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task NonAsciiAuthorization_Gets401()
    {
        await using var raw = await RawHttpConnection.OpenAsync(Stack.Server.BaseAddress, CancellationToken.None);
        await raw.SendAsync("GET", Stack.Url("/json"), [("Authorization", "Bearer \u00e9\u00e9\u2603")], CancellationToken.None);
        var head = await raw.ReadHeadAsync(CancellationToken.None);
        head.StatusCode.Should().Be(401);
    }

    [Fact]
    public async Task RepeatedAuthorizationHeaders_Get401Problem()
    {
        using var http = Stack.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Stack.Url("/json"));
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + Stack.Token, "Bearer other"]);
        using var response = await http.SendAsync(request);
        await ExpectProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ManyRepeatedHeaders_AreForwardedOrRefused_NeverServerErrors()
    {
        using var http = Stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Stack.Url("/echo/x"));
        request.Headers.TryAddWithoutValidation("X-Repeat", Enumerable.Range(0, 300).Select(i => "v" + i));
        using var response = await http.SendAsync(request);
        ((int)response.StatusCode).Should().BeLessThan(500);
    }

    [Fact]
    public async Task HugeHeader_Gets431()
    {
        using var http = Stack.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Stack.Url("/json"));
        request.Headers.TryAddWithoutValidation("X-Huge", new string('h', 40_000));
        using var response = await http.SendAsync(request);
        await ExpectProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Fact]
    public async Task HugeQueryString_Gets414()
    {
        using var http = Stack.CreateClient();
        using var response = await http.GetAsync(Stack.Url("/json?q=" + new string('q', 20_000)));
        await ExpectProblemAsync(response, HttpStatusCode.RequestUriTooLong);
    }

    [Fact]
    public async Task BodyLargerThanAllowed_Gets413Problem()
    {
        using var http = Stack.CreateClient();
        using var content = new ByteArrayContent(new byte[2048]);
        using var response = await http.PostAsync(Stack.Url("/upload"), content);
        await ExpectProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AfterAllThat_ServerIsHealthyAndServes()
    {
        using var http = Stack.CreateClient();
        using var health = await http.GetAsync("/health");
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = await http.GetAsync(Stack.Url("/json"));
        json.StatusCode.Should().Be(HttpStatusCode.OK);
        Stack.Server.Logs.GetSnapshot().Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Should().BeEmpty();
    }

    private static async Task ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain($"\"status\":{(int)status}");
    }

    public sealed class Fixture : StackFixture
    {
        protected override Dictionary<string, string> ServerExtra => new()
        {
            ["Tunnel:Forwarding:MaxRequestBodyBytes"] = "1024",
        };
    }
}
