namespace Tunnel.Server.Hosting;

/// <summary>Formats each entry, redacts message, values and exception, then hands the clean entry on.</summary>
internal sealed class RedactingLogger(ILogger inner, string category) : ILogger
{
    /// <summary>The host's "Hosting failed to start" entry; Program.cs reports start-up failures it recognises itself.</summary>
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull =>
        state switch
        {
            IEnumerable<KeyValuePair<string, object?>> pairs => inner.BeginScope(new LazyRedactedScope(pairs)),
            string text => inner.BeginScope(LogRedactor.Redact(text)),
            _ when LogRedactor.Redact(state.ToString() ?? string.Empty) is var text && text != (state.ToString() ?? string.Empty) => inner.BeginScope(text),
            _ => inner.BeginScope(state),
        };

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel) || IsReportedByProgram(exception))
        {
            return;
        }

        var clean = RedactedLogState.From(state, formatter(state, exception));
        inner.Log(logLevel, eventId, clean, RedactedException.Of(exception), static (s, _) => s.ToString());
    }

    /// <summary>
    /// A bad setting or a taken port is printed by Program.cs as one clean line; the host's own error entry with the
    /// stack trace would bury it. Other start-up failures keep the host's entry.
    /// </summary>
    private bool IsReportedByProgram(Exception? exception) =>
        exception is not null
        && string.Equals(category, HostCategory, StringComparison.Ordinal)
        && ConfigurationErrors.Describe(exception) is not null;
}
