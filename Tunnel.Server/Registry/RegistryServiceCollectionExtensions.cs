using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Registry;

internal static class RegistryServiceCollectionExtensions
{
    /// <summary>The registry database (SQLite by default, MySQL when configured), its migrations and the agent registry.</summary>
    public static WebApplicationBuilder AddRegistry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((o, config) => o.ConnectionString ??= config.GetConnectionString("Tunnel"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        // The provider is chosen once, at start, from configuration; options validation reports a bad value.
        var provider = builder.Configuration.GetValue<string>($"{DatabaseOptions.SectionName}:Provider");
        if (Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out var parsed) && parsed == DatabaseProvider.MySql)
        {
            services.AddPooledDbContextFactory<MySqlTunnelDbContext>((sp, o) =>
            {
                var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                // No retrying execution strategy: during an outage a request must fail fast and fall back to what
                // the node knows (see AccessTokenCache), not wait through seconds of retries.
                o.UseMySql(db.ConnectionString, ServerVersion.Parse(db.MySqlServerVersion));
            });
            services.AddSingleton<IDbContextFactory<TunnelDbContext>, TunnelDbContextFactory<MySqlTunnelDbContext>>();
        }
        else
        {
            services.AddPooledDbContextFactory<SqliteTunnelDbContext>((sp, o) =>
            {
                var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                o.UseSqlite(db.ConnectionString ?? DatabaseOptions.DefaultSqliteConnectionString);
            });
            services.AddSingleton<IDbContextFactory<TunnelDbContext>, TunnelDbContextFactory<SqliteTunnelDbContext>>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AgentRegistry>();
        services.AddHostedService<DatabaseStartupService>();
        return builder;
    }
}
