using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Hosting;

internal static class LogRedactionServiceCollectionExtensions
{
    /// <summary>
    /// Puts <see cref="RedactingLoggerFactory"/> in front of the registered <see cref="ILoggerFactory"/>. Call after
    /// logging is registered (the web builder does that first). Later <c>AddLogging</c> calls only try-add, so the
    /// wrapper stays; later <c>AddProvider</c> calls land behind it.
    /// </summary>
    public static IServiceCollection AddLogRedaction(this IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("Logging must be registered before log redaction.");
        services.RemoveAll<ILoggerFactory>();
        services.AddSingleton<ILoggerFactory>(sp => new RedactingLoggerFactory(CreateInner(sp, original), ownsInner: original.ImplementationInstance is null));
        return services;
    }

    private static ILoggerFactory CreateInner(IServiceProvider services, ServiceDescriptor original)
    {
        if (original.ImplementationInstance is ILoggerFactory instance)
        {
            return instance;
        }

        if (original.ImplementationFactory is { } factory)
        {
            return (ILoggerFactory)factory(services);
        }

        if (original.ImplementationType == typeof(LoggerFactory))
        {
            // The constructor the container would pick.
            return new LoggerFactory(
                services.GetServices<ILoggerProvider>(),
                services.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                services.GetService<IOptions<LoggerFactoryOptions>>(),
                services.GetService<IExternalScopeProvider>());
        }

        return (ILoggerFactory)ActivatorUtilities.CreateInstance(services, original.ImplementationType!);
    }
}
