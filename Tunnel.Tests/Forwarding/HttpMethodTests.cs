using System.Net;
using System.Text;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Forwarding;

/// <summary>Every method reaches the origin as sent, with its body, in both response modes.</summary>
public sealed class HttpMethodTests(StackFixture fixture) : IClassFixture<StackFixture>, IDisposable
{
    private readonly LogWatch _logs = new(fixture.Stack);

    public static TheoryData<string, string> MethodsAndModes()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in new[] { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" })
        {
            data.Add(method, "streamed");
            data.Add(method, "buffered");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MethodsAndModes))]
    public async Task Method_ThroughTunnel_OriginSeesMethodAndBody(string method, string mode)
    {
        var stack = fixture.Stack;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = stack.CreateClient();
        var sendsBody = method is "POST" or "PUT" or "PATCH" or "DELETE";
        var payload = $"payload of {method} in {mode} mode";
        using var request = new HttpRequestMessage(new HttpMethod(method), stack.Url("/echo/method"));
        request.Headers.Add("X-Tunnel-Response", mode);
        if (sendsBody)
        {
            request.Content = new StringContent(payload, Encoding.UTF8, "text/plain");
        }

        using var response = await http.SendAsync(request, cts.Token);
        var body = await response.Content.ReadAsStringAsync(cts.Token);

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        response.Headers.GetValues("X-Echo-Method").Should().Equal(method);
        if (method == "HEAD")
        {
            body.Should().BeEmpty();
        }
        else
        {
            body.Should().Be(sendsBody ? payload : string.Empty);
        }
    }

    public void Dispose() => _logs.ShouldHaveNoErrors();
}
