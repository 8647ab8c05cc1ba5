using Microsoft.Extensions.Options;

namespace Tunnel.Server.Hosting;

/// <summary>Recognises start-up failures caused by configuration, and says which keys are wrong.</summary>
internal static class ConfigurationErrors
{
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => string.Join(Environment.NewLine, validation.Failures),
        // Binding "Oracle" to an enum or "soon" to a TimeSpan fails before validation; the message names the key.
        InvalidOperationException { Message: var m } when m.Contains("Failed to convert configuration value", StringComparison.Ordinal) => m,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Describe).OfType<string>().ToList() is { Count: > 0 } all
            ? string.Join(Environment.NewLine, all)
            : null,
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => null,
    };
}
