using System.Text;

namespace Tunnel.Tests.Structure;

/// <summary>C# source with comments and string/char literals blanked out, so that only code is searched for references.</summary>
internal static class CSharpCode
{
    public static string Strip(string source)
    {
        var code = new StringBuilder(source.Length);
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                i = SkipTo(source, i, "\n");
            }
            else if (c == '/' && next == '*')
            {
                i = SkipTo(source, i + 2, "*/");
            }
            else if (c == '"' && next == '"' && i + 2 < source.Length && source[i + 2] == '"')
            {
                var quotes = CountRun(source, i, '"');
                i = SkipTo(source, i + quotes, new string('"', quotes));
            }
            else if (c == '@' && next == '"')
            {
                i = SkipVerbatim(source, i + 2);
            }
            else if (c == '"' || c == '\'')
            {
                i = SkipQuoted(source, i + 1, c);
            }
            else
            {
                code.Append(c);
                i++;
                continue;
            }

            code.Append(' ');
        }

        return code.ToString();
    }

    private static int SkipTo(string source, int from, string end)
    {
        var at = source.IndexOf(end, from, StringComparison.Ordinal);
        return at < 0 ? source.Length : at + end.Length;
    }

    private static int CountRun(string source, int from, char c)
    {
        var n = 0;
        while (from + n < source.Length && source[from + n] == c)
        {
            n++;
        }

        return n;
    }

    private static int SkipVerbatim(string source, int i)
    {
        while (i < source.Length)
        {
            if (source[i] == '"')
            {
                if (i + 1 < source.Length && source[i + 1] == '"')
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return i;
    }

    private static int SkipQuoted(string source, int i, char quote)
    {
        while (i < source.Length && source[i] != quote && source[i] != '\n')
        {
            i += source[i] == '\\' ? 2 : 1;
        }

        return Math.Min(source.Length, i + 1);
    }
}
