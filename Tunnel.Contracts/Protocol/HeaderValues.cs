namespace Tunnel.Contracts.Protocol;

/// <summary>
/// The rule both sides apply to header field values (see <see cref="Messages.HttpHeader"/>): any byte but CR, LF and
/// NUL, each byte carried as one Latin-1 char.
/// </summary>
public static class HeaderValues
{
    /// <summary>
    /// True when <paramref name="value"/> can go on the wire as it is: no CR, LF or NUL (they would split or end the
    /// field, RFC 9110 §5.5) and no char above U+00FF (it would not be one byte).
    /// </summary>
    public static bool IsValid(string value)
    {
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\0' or > '\u00FF')
            {
                return false;
            }
        }

        return true;
    }
}
