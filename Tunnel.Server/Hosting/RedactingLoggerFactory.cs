using System.Collections.Concurrent;

namespace Tunnel.Server.Hosting;

/// <summary>
/// Wraps the application's logger factory so that every logger, the framework's included (e.g.
/// <c>Microsoft.AspNetCore.Hosting.Diagnostics</c>' "Request starting" with the full URL), writes through
/// <see cref="RedactingLogger"/>. Wrapping the factory rather than each provider keeps per-provider filter rules
/// (<c>Logging:Console:LogLevel</c>) working, and covers providers added after start-up code ran, such as a test's.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner, bool ownsInner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, RedactingLogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, factory) => new RedactingLogger(factory.CreateLogger(name), name), inner);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        if (ownsInner)
        {
            inner.Dispose();
        }
    }
}
