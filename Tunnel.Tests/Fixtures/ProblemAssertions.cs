using System.Net;
using System.Text.Json;

namespace Tunnel.Tests.Fixtures;

/// <summary>Checks that a response is one the tunnel produced itself: RFC 7807 problem JSON with the status.</summary>
public static class ProblemAssertions
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>Asserts status, content type and a problem body naming the same status; returns the body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, "the tunnel answered {0}", text);
        response.Content.Headers.ContentType?.MediaType.Should().Be(ProblemContentType);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement.Clone();
        root.GetProperty("status").GetInt32().Should().Be((int)status);
        root.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        return root;
    }

    public static string Detail(this JsonElement problem) =>
        problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? string.Empty : string.Empty;
}
