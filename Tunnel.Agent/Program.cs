using Microsoft.Extensions.Hosting.WindowsServices;
using Microsoft.Extensions.Options;
using Tunnel.Agent.Links;
using Tunnel.Agent.ServeDir;

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
        if (link)
        {
            return await RunLinkCommandAsync(args[1..]);
        }

        // A Windows service starts in System32: read appsettings.json from the agent's own folder instead.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = WindowsServiceHelpers.IsWindowsService() ? AppContext.BaseDirectory : null,
        });
        try
        {
            // Under systemd (Type=notify, journal-friendly logs) or as a Windows service; no-ops otherwise.
            builder.Services.AddSystemd();
            builder.Services.AddWindowsService(o => o.ServiceName = "TunnelAgent");
            builder.AddTunnelAgent();

            // --serve-dir PATH: a folder instead of MoosicBox, to try the tunnel (ServeDir/).
            await using var directory = await DirectoryOrigin.StartIfAskedAsync(builder, args);
            var host = builder.Build();
            if (directory is not null)
            {
                ServeDirLog.ServingDirectory(host.Services.GetRequiredService<ILogger<DirectoryOrigin>>(), directory.Root, directory.BaseAddress);
            }

            await host.RunAsync();
            return Environment.ExitCode;
        }
        catch (DirectoryNotFoundException ex)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + ex.Message);
            return 2;
        }
        catch (Exception ex) when (Unwrap(ex) is { Count: > 0 } failures)
        {
            // A bad setting stops the agent with the key it is about, not a stack trace.
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join(Environment.NewLine, failures));
            return 2;
        }
    }

    /// <summary><c>link</c>: a one-shot command whose output is the link, not the host's log lines.</summary>
    private static async Task<int> RunLinkCommandAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        try
        {
            builder.Logging.ClearProviders();
            builder.AddDeviceLinkCommand();
            using var host = builder.Build();
            return await host.RunDeviceLinkCommandAsync(Console.Out, Console.Error, CancellationToken.None);
        }
        catch (Exception ex) when (Unwrap(ex) is { Count: > 0 } failures)
        {
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
