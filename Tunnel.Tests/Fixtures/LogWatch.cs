using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Remembers how far the server's and the agent's logs went when a test started, so that the test can fail on an
/// error either side logged while it ran (a swallowed failure is still a failure).
/// </summary>
public sealed class LogWatch(TunnelStack stack)
{
    private readonly int _server = stack.Server.Logs.Count;
    private readonly int _agent = stack.Agent.Logs.Count;

    public void ShouldHaveNoErrors()
    {
        var errors = Since(stack.Server.Logs, _server).Concat(Since(stack.Agent.Logs, _agent))
            .Where(r => r.Level >= LogLevel.Error)
            .Select(r => $"{r.Category}: {r.Message} {r.Exception?.GetType().Name} {r.Exception?.Message}")
            .ToList();
        errors.Should().BeEmpty("nothing in a test's traffic is a bug on the server or the agent");
    }

    private static IEnumerable<FakeLogRecord> Since(FakeLogCollector logs, int start) => logs.GetSnapshot().Skip(start);
}
