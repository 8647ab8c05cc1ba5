using System.Collections;
using System.Globalization;

namespace Tunnel.Server.Hosting;

/// <summary>
/// A log entry's structured values and formatted message after <see cref="LogRedactor"/>: what providers get in
/// place of the original state.
/// </summary>
internal sealed class RedactedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";

    private readonly KeyValuePair<string, object?>[] _values;
    private readonly string _message;

    private RedactedLogState(KeyValuePair<string, object?>[] values, string message)
    {
        _values = values;
        _message = message;
    }

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    /// <summary>Redacts <paramref name="state"/>'s values and <paramref name="message"/>.</summary>
    public static RedactedLogState From(object? state, string message)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.Select(p => p.Key == OriginalFormat ? p : new KeyValuePair<string, object?>(p.Key, RedactValue(p.Value))).ToArray()
            : [];
        return new RedactedLogState(values, LogRedactor.Redact(message));
    }

    /// <summary>Strings are rewritten; other objects only when their text holds a secret, so types survive otherwise.</summary>
    public static object? RedactValue(object? value)
    {
        switch (value)
        {
            case null or bool or int or long or double or decimal or Guid or DateTime or DateTimeOffset or TimeSpan or Enum:
                return value;
            case string s:
                return LogRedactor.Redact(s);
            case IEnumerable<KeyValuePair<string, object?>> nested:
                return nested.Select(p => new KeyValuePair<string, object?>(p.Key, RedactValue(p.Value))).ToArray();
            default:
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                var redacted = LogRedactor.Redact(text);
                return ReferenceEquals(text, redacted) || text == redacted ? value : redacted;
        }
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _message;
}
