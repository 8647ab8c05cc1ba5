using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Server.Hubs;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Agent;

/// <summary>
/// <c>Tunnel.Agent --serve-dir PATH</c>, run as a process the way the README's quick start does: a folder served
/// through the tunnel byte-exact, with Range, ETag and a directory listing.
/// </summary>
public sealed class ServeDirTests
{
    private const int FileSize = 3_000_000;

    [Fact]
    public async Task ServeDir_FileThroughTunnel_ByteExactWithRangeAndETag()
    {
        var folder = Directory.CreateTempSubdirectory("tunnel-serve-dir-").FullName;
        var bytes = new byte[FileSize];
        new Random(42).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(folder, "track one.flac"), bytes);
        Directory.CreateDirectory(Path.Combine(folder, "disc 2"));
        await File.WriteAllTextAsync(Path.Combine(folder, "disc 2", "notes & more.txt"), "second disc");

        await using var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync("serve-dir");
        await using var agent = ProjectProcess.Start("Tunnel.Agent", Path.GetTempPath(), ["--serve-dir", folder], new Dictionary<string, string>
        {
            ["Agent__ServerUrl"] = server.BaseAddress.ToString(),
            ["Agent__ClientId"] = "serve-dir",
            ["Agent__AccessToken"] = token,
        });
        (await Eventually.HoldsAsync(() => server.Services.GetRequiredService<ConnectedAgents>().TryGet("serve-dir", out _), TimeSpan.FromSeconds(60)))
            .Should().BeTrue(agent.Output);
        agent.Output.Should().Contain("as the origin at http://127.0.0.1:");

        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        const string file = "/track%20one.flac?clientId=serve-dir";

        using (var whole = await http.GetAsync(file))
        {
            whole.StatusCode.Should().Be(HttpStatusCode.OK);
            whole.Headers.AcceptRanges.Should().Contain("bytes");
            SHA256.HashData(await whole.Content.ReadAsByteArrayAsync()).Should().Equal(SHA256.HashData(bytes));
        }

        using var ranged = new HttpRequestMessage(HttpMethod.Get, file);
        ranged.Headers.Range = new RangeHeaderValue(1_000_001, 2_500_000);
        using var partial = await http.SendAsync(ranged);
        partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        partial.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 1000001-2500000/{FileSize}");
        SHA256.HashData(await partial.Content.ReadAsByteArrayAsync()).Should().Equal(SHA256.HashData(bytes.AsSpan(1_000_001, 1_500_000)));

        var etag = partial.Headers.ETag;
        etag.Should().NotBeNull();
        using var conditional = new HttpRequestMessage(HttpMethod.Get, file);
        conditional.Headers.IfNoneMatch.Add(etag!);
        using var notModified = await http.SendAsync(conditional);
        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);

        using var listing = await http.GetAsync("/?clientId=serve-dir");
        listing.StatusCode.Should().Be(HttpStatusCode.OK);
        var root = await listing.Content.ReadAsStringAsync();
        root.Should().Contain("track one.flac");

        // Clicked through: each link keeps ?clientId, so the tunnel routes it (without it: 400).
        var folderLink = Links(root).Should().ContainSingle(l => l.StartsWith("./disc%202/", StringComparison.Ordinal)).Subject;
        folderLink.Should().EndWith("?clientId=serve-dir");
        using var sub = await http.GetAsync(new Uri(new Uri(server.BaseAddress, "/"), folderLink));
        sub.StatusCode.Should().Be(HttpStatusCode.OK);
        var fileLink = Links(await sub.Content.ReadAsStringAsync()).Should().ContainSingle(l => l.Contains("notes", StringComparison.Ordinal)).Subject;
        using var notes = await http.GetAsync(new Uri(sub.RequestMessage!.RequestUri!, fileLink));
        notes.StatusCode.Should().Be(HttpStatusCode.OK);
        (await notes.Content.ReadAsStringAsync()).Should().Be("second disc");
    }

    private static List<string> Links(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))];

    [Fact]
    public async Task ServeDir_MissingFolder_ExitsWithConfigurationError()
    {
        await using var agent = ProjectProcess.Start("Tunnel.Agent", Path.GetTempPath(), ["--serve-dir", "/nonexistent/" + Guid.NewGuid()], new Dictionary<string, string>
        {
            ["Agent__ServerUrl"] = "http://127.0.0.1:1",
            ["Agent__ClientId"] = "serve-dir",
            ["Agent__AccessToken"] = "token-0123456789abcdef",
        });
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(2, agent.Output);
        agent.Output.Should().Contain("--serve-dir").And.Contain("is not a folder");
    }
}
