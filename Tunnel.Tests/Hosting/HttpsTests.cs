using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Hosting;

/// <summary>Kestrel serving HTTPS itself (certificate from configuration), with the agent connecting over https://.</summary>
public sealed class HttpsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Https_AgentConnectsOverHttps_ForwardsOverHttp11AndHttp2(bool selfSigned)
    {
        // Agent:TrustedCertificatePath holds the private CA, or the self-signed server certificate itself.
        var certificates = TestCertificates.Create(selfSigned);
        await using var stack = await TunnelStack.StartAsync(
            new ServerSettings { Https = certificates },
            new Dictionary<string, string?> { ["Agent:TrustedCertificatePath"] = certificates.AuthorityPath });
        stack.Server.BaseAddress.Scheme.Should().Be("https");

        using var http = stack.CreateClient();
        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, stack.Url("/files/300000"))
            {
                Version = version,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 200_999);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            response.Version.Should().Be(version);
            (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(200_000, from: 1000));
        }
    }

    [Fact]
    public async Task Https_KestrelEndpointsInConfiguration_ReplaceTheDefaultUrl()
    {
        // The operator's way: an HTTPS endpoint with its certificate in configuration, no --urls.
        var certificates = TestCertificates.Create();
        var port = LoopbackPort.Free();
        var folder = Directory.CreateTempSubdirectory("tunnel-https-").FullName;
        await using var server = ProjectProcess.Start("Tunnel.Server", folder,
        [
            $"--Kestrel:Endpoints:Https:Url=https://127.0.0.1:{port}",
            $"--Kestrel:Endpoints:Https:Certificate:Path={certificates.ServerCertificatePath}",
            $"--Kestrel:Endpoints:Https:Certificate:KeyPath={certificates.ServerKeyPath}",
        ]);
        (await server.WaitForLineAsync("Now listening on:", TimeSpan.FromSeconds(60))).Should().NotBeNull(server.Output);

        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = certificates.Validate;
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}"), DefaultRequestVersion = HttpVersion.Version20 };
        using var health = await http.GetAsync("/health");
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        health.Version.Should().Be(HttpVersion.Version20);
        server.Output.Should().Contain($"https://127.0.0.1:{port}").And.NotContain("localhost:8000", "the default URL is not added beside configured endpoints");
    }

    [Fact]
    public async Task Https_AgentWithoutTrustedCertificate_RefusesUnknownServerCertificate()
    {
        var certificates = TestCertificates.Create();
        await using var stack = await TunnelStack.StartAsync(
            new ServerSettings { Https = certificates },
            new Dictionary<string, string?> { ["Agent:TrustedCertificatePath"] = certificates.AuthorityPath });
        var token = await stack.Server.RegisterClientAsync("home-untrusting");
        await using var agent = await AgentHost.StartAsync(stack.Server.BaseAddress, "home-untrusting", token, stack.Origin.BaseAddress);

        var failed = await Eventually.HoldsAsync(() => agent.Logs.GetSnapshot().Any(r => r.Id.Name == "ConnectFailed"), TimeSpan.FromSeconds(10));
        failed.Should().BeTrue("an agent must not accept a certificate its system does not trust");
        agent.Logs.GetSnapshot().First(r => r.Id.Name == "ConnectFailed").Message.Should().Contain("certificate");
        stack.Server.Services.GetRequiredService<ConnectedAgents>().TryGet("home-untrusting", out _).Should().BeFalse();
    }
}
