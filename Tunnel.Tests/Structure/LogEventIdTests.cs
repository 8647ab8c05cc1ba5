using System.Reflection;

namespace Tunnel.Tests.Structure;

/// <summary>
/// Every <c>LoggerMessage</c> event of a process has its own id: operators filter and alert on them (README documents
/// several), and two events sharing one read as the same thing. The server's drain and relay events once shared
/// 600 and 601.
/// </summary>
public sealed class LogEventIdTests
{
    public static TheoryData<string> Assemblies => new() { "Tunnel.Server", "Tunnel.Agent" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void EventIds_AreUniqueWithinAProcess(string assemblyName)
    {
        var events = Assembly.Load(assemblyName).GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .Select(e => (Id: e.Attribute!.EventId, Name: $"{e.Method.DeclaringType!.Name}.{e.Method.Name}"))
            .ToList();

        events.Should().HaveCountGreaterThan(10, "the scan must find the process's log events");
        events.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Name))}")
            .Should().BeEmpty();
    }
}
