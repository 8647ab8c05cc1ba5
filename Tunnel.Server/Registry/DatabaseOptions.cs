using System.ComponentModel.DataAnnotations;

namespace Tunnel.Server.Registry;

/// <summary>Where the registry lives. Section <c>Tunnel:Database</c>; the connection string is <c>ConnectionStrings:Tunnel</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string SectionName = "Tunnel:Database";

    /// <summary>The default SQLite connection string: a file beside the working directory.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=tunnel.db";

    /// <summary><c>Sqlite</c> (default) or <c>MySql</c>.</summary>
    [EnumDataType(typeof(DatabaseProvider), ErrorMessage = "Tunnel:Database:Provider must be 'Sqlite' or 'MySql'.")]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply EF Core migrations at start. Default true; turn off when migrations are applied by a deploy step.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// MySQL server version Pomelo generates SQL for, e.g. <c>8.0.36-mysql</c> or <c>10.11.6-mariadb</c>.
    /// Default <c>8.0.0-mysql</c>, which MariaDB 10.5+ and PlanetScale also accept. Ignored for SQLite.
    /// </summary>
    [Required(ErrorMessage = "Tunnel:Database:MySqlServerVersion must not be empty.")]
    public string MySqlServerVersion { get; set; } = "8.0.0-mysql";

    /// <summary>Set from <c>ConnectionStrings:Tunnel</c>; for SQLite it defaults to <see cref="DefaultSqliteConnectionString"/>.</summary>
    public string? ConnectionString { get; set; }
}
