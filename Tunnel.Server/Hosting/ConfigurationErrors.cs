using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Hosting;

/// <summary>Recognises start-up failures caused by configuration (a bad key, a taken port), and says what is wrong.</summary>
internal static class ConfigurationErrors
{
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => string.Join(Environment.NewLine, validation.Failures),
        // Binding "Oracle" to an enum or "soon" to a TimeSpan fails before validation; the message names the key.
        InvalidOperationException { Message: var m } when m.Contains("Failed to convert configuration value", StringComparison.Ordinal) => m,
        // Kestrel's "Failed to bind to address http://127.0.0.1:8000: address already in use."
        IOException { InnerException: AddressInUseException } taken =>
            $"{taken.Message} Another process is listening there; stop it, or choose other addresses with --urls.",
        AggregateException aggregate => aggregate.InnerExceptions.Select(Describe).OfType<string>().ToList() is { Count: > 0 } all
            ? string.Join(Environment.NewLine, all)
            : null,
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => null,
    };
}
