using System.ComponentModel.DataAnnotations;
using Tunnel.Server.Relay;

namespace Tunnel.Tests.Relay;

/// <summary>Relay options: documented defaults, and bad values refused with their full key.</summary>
public sealed class RelayOptionsTests
{
    [Fact]
    public void Defaults_AreAsDocumented()
    {
        var options = new RelayOptions();
        options.OpenTimeout.Should().Be(TimeSpan.FromSeconds(10));
        options.MaxRelaysPerClient.Should().Be(64);
        options.RemoteQueueBytes.Should().Be(4L * 1024 * 1024);
        options.KeepAliveInterval.Should().Be(TimeSpan.FromSeconds(5));
        options.KeepAliveTimeout.Should().Be(TimeSpan.FromSeconds(10));
        Validate(options).Should().BeEmpty();
    }

    [Fact]
    public void BadValues_NameEveryKey()
    {
        var failures = Validate(new RelayOptions
        {
            OpenTimeout = TimeSpan.Zero,
            MaxRelaysPerClient = 0,
            RemoteQueueBytes = 1024,
            KeepAliveInterval = TimeSpan.Zero,
            KeepAliveTimeout = TimeSpan.FromHours(1),
        });
        failures.Should().HaveCount(5);
        string.Join(" ", failures).Should().Contain("Tunnel:Relay:OpenTimeout").And.Contain("Tunnel:Relay:MaxRelaysPerClient")
            .And.Contain("Tunnel:Relay:RemoteQueueBytes").And.Contain("Tunnel:Relay:KeepAliveInterval").And.Contain("Tunnel:Relay:KeepAliveTimeout");
    }

    private static List<string?> Validate(RelayOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        // The timings are checked by the options validator (not thread-safe TimeSpan ranges, dotnet/runtime#1143).
        var timings = new RelayOptionsValidator().Validate(null, options);
        return [.. results.Select(r => r.ErrorMessage), .. timings.Failures ?? []];
    }
}
