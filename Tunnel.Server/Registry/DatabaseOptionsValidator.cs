using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;

namespace Tunnel.Server.Registry;

/// <summary>Rules that span several database settings; reports every problem at once.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"Tunnel:Database:Provider must be 'Sqlite' or 'MySql', not '{options.Provider}'.");
        }

        if (options.Provider == DatabaseProvider.MySql)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add("ConnectionStrings:Tunnel is required when Tunnel:Database:Provider is 'MySql'.");
            }

            if (!ServerVersion.TryParse(options.MySqlServerVersion, out _))
            {
                failures.Add($"Tunnel:Database:MySqlServerVersion '{options.MySqlServerVersion}' is not a version such as '8.0.36-mysql' or '10.11.6-mariadb'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
