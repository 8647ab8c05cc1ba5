using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tunnel.Agent;

namespace Tunnel.Tests.Agent;

/// <summary>
/// The agent's options: <see cref="AgentOptionsValidator"/>'s rules one by one, and every rule of the agent's real
/// registration (data annotations and the validator together) reported at once, each naming its key.
/// </summary>
public sealed class AgentOptionsValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Agent:ServerUrl"] = "https://tunnel.example.com",
        ["Agent:ClientId"] = "home-1",
        ["Agent:AccessToken"] = "a-client-access-token",
        ["Agent:OriginUrl"] = "http://127.0.0.1:8001",
    };

    [Fact]
    public void Validator_ValidOptions_Succeeds()
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions
        {
            ServerUrl = new Uri("https://tunnel.example.com"),
            ClientId = "home-1",
            AccessToken = "token",
            OriginUrl = new Uri("http://127.0.0.1:8001"),
        });

        result.Succeeded.Should().BeTrue(result.FailureMessage);
    }

    [Theory]
    [InlineData("ftp://tunnel.example.com")]
    [InlineData("ws://tunnel.example.com")]
    [InlineData("file:///etc/passwd")]
    [InlineData("tunnel.example.com")]
    [InlineData("/relative")]
    public void Validator_ServerUrlNotAbsoluteHttp_Fails(string url)
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { ServerUrl = new Uri(url, UriKind.RelativeOrAbsolute) });

        result.Failures.Should().ContainSingle().Which.Should().Contain("Agent:ServerUrl").And.Contain("http://");
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:8001")]
    [InlineData("127.0.0.1:8001")]
    [InlineData("/moosicbox")]
    public void Validator_OriginUrlNotAbsoluteHttp_Fails(string url)
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { OriginUrl = new Uri(url, UriKind.RelativeOrAbsolute) });

        result.Failures.Should().ContainSingle().Which.Should().Contain("Agent:OriginUrl");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Validator_BlankAccessToken_Fails(string token)
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { AccessToken = token });

        result.Failures.Should().ContainSingle().Which.Should().Contain("Agent:AccessToken");
    }

    [Fact]
    public void Validator_MissingValues_LeftToRequired()
    {
        // Absent values are [Required]'s to report; the validator must not report them twice.
        new AgentOptionsValidator().Validate(null, new AgentOptions()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validator_EveryRuleBroken_ReportsEveryErrorAtOnce()
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions
        {
            ServerUrl = new Uri("ws://tunnel.example.com"),
            AccessToken = " ",
            OriginUrl = new Uri("ftp://127.0.0.1"),
        });

        result.Failures.Should().HaveCount(3);
        result.FailureMessage.Should().Contain("Agent:ServerUrl").And.Contain("Agent:OriginUrl").And.Contain("Agent:AccessToken");
    }

    [Fact]
    public void Registration_ValidConfiguration_BindsAndPasses()
    {
        var options = Resolve(Valid);

        options.ClientId.Should().Be("home-1");
        options.ReconnectMaxDelay.Should().Be(TimeSpan.FromSeconds(30));
        options.OriginTimeout.Should().Be(TimeSpan.FromSeconds(60));
        options.MaxConcurrentRequests.Should().Be(256);
        options.DrainTimeout.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Registration_NothingConfigured_ReportsEveryRequiredKey()
    {
        var resolve = () => Resolve([]);

        var failures = resolve.Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        string.Join("\n", failures).Should().Contain("Agent:ServerUrl is required")
            .And.Contain("Agent:ClientId is required")
            .And.Contain("Agent:AccessToken is required")
            .And.Contain("Agent:OriginUrl is required");
    }

    [Fact]
    public void Registration_EveryRuleBroken_ReportsEveryErrorAtOnce()
    {
        var resolve = () => Resolve(new Dictionary<string, string?>
        {
            ["Agent:ServerUrl"] = "ws://tunnel.example.com",
            ["Agent:ClientId"] = "not a client id!",
            ["Agent:AccessToken"] = "   ",
            ["Agent:OriginUrl"] = "ftp://127.0.0.1:8001",
            ["Agent:OriginTimeout"] = "00:00:00",
            ["Agent:ReconnectMaxDelay"] = "00:10:00",
            ["Agent:MaxConcurrentRequests"] = "0",
            ["Agent:DrainTimeout"] = "02:00:00",
        });

        var message = string.Join("\n", resolve.Should().Throw<OptionsValidationException>().Which.Failures);
        foreach (var key in new[] { "ServerUrl", "ClientId", "AccessToken", "OriginUrl", "OriginTimeout", "ReconnectMaxDelay", "MaxConcurrentRequests", "DrainTimeout" })
        {
            message.Should().Contain("Agent:" + key, "every broken rule is reported in the same failure");
        }
    }

    private static AgentOptions Resolve(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddTunnelAgent();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    }
}
