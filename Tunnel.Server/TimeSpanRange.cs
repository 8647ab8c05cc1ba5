namespace Tunnel.Server;

/// <summary>
/// A setting's allowed span, checked in the options validators rather than with <c>[Range(typeof(TimeSpan), …)]</c>:
/// that attribute converts its bounds lazily and not thread-safely (dotnet/runtime#1143), so servers started in
/// parallel (the tests do) could fail validation of a valid value now and then.
/// </summary>
internal readonly record struct TimeSpanRange(TimeSpan Min, TimeSpan Max)
{
    /// <summary>Adds "<paramref name="key"/> must be between Min and Max." when <paramref name="value"/> is outside.</summary>
    public void Check(TimeSpan value, string key, List<string> failures)
    {
        if (value < Min || value > Max)
        {
            failures.Add($"{key} must be between {Min:c} and {Max:c}.");
        }
    }
}
