namespace Tunnel.Server.Hosting;

/// <summary>Formats each entry, redacts message, values and exception, then hands the clean entry on.</summary>
internal sealed class RedactingLogger(ILogger inner) : ILogger
{
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
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var clean = RedactedLogState.From(state, formatter(state, exception));
        inner.Log(logLevel, eventId, clean, RedactedException.Of(exception), static (s, _) => s.ToString());
    }
}
