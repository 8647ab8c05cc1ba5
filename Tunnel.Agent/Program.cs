using Microsoft.Extensions.Options;
using Tunnel.Agent.Links;

namespace Tunnel.Agent;

/// <summary>
/// The agent's entry point: a worker host running the tunnel agent, or with <c>link</c> as the first argument the
/// device-link command (prints a one-time login link and its QR code, then exits).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var link = args.Length > 0 && args[0] == DeviceLinkCommand.Name;
        var builder = Host.CreateApplicationBuilder(link ? args[1..] : args);
        try
        {
            if (link)
            {
                // A one-shot command: its output is the link, not the host's log lines.
                builder.Logging.ClearProviders();
                builder.AddDeviceLinkCommand();
                using var host = builder.Build();
                return await host.RunDeviceLinkCommandAsync(Console.Out, Console.Error, CancellationToken.None);
            }

            builder.AddTunnelAgent();
            await builder.Build().RunAsync();
            return Environment.ExitCode;
        }
        catch (Exception ex) when (Unwrap(ex) is { Count: > 0 } failures)
        {
            // A bad setting stops the agent with the key it is about, not a stack trace.
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join(Environment.NewLine, failures));
            return 2;
        }
    }

    private static List<string> Unwrap(Exception ex) => ex switch
    {
        OptionsValidationException v => [.. v.Failures],
        AggregateException a => [.. a.InnerExceptions.SelectMany(Unwrap)],
        InvalidOperationException { Message: var m } when m.Contains("Failed to convert configuration value", StringComparison.Ordinal) => [m],
        _ => [],
    };
}
