namespace Tunnel.Server.Hosting;

/// <summary>
/// Stands in for a logged exception whose text held a secret (e.g. Kestrel's "bad request line" with the target):
/// it carries the original's type name and full text, redacted, and no inner exception to leak through.
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;

    public RedactedException(Exception original)
        : base(LogRedactor.Redact(original.Message))
    {
        OriginalType = original.GetType().FullName ?? original.GetType().Name;
        _text = LogRedactor.Redact(original.ToString());
        HResult = original.HResult;
    }

    public RedactedException()
        : this(new InvalidOperationException())
    {
    }

    public RedactedException(string message)
        : this(new InvalidOperationException(message))
    {
    }

    public RedactedException(string message, Exception innerException)
        : this(new InvalidOperationException(message, innerException))
    {
    }

    public string OriginalType { get; }

    public override string? StackTrace => null;

    public override string ToString() => _text;

    /// <summary>The exception itself when its text is clean, otherwise a redacted stand-in.</summary>
    public static Exception? Of(Exception? exception)
    {
        if (exception is null)
        {
            return null;
        }

        var text = exception.ToString();
        return LogRedactor.MayContainSecret(text) && LogRedactor.Redact(text) != text ? new RedactedException(exception) : exception;
    }
}
