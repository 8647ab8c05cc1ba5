namespace Tunnel.Server.Registry;

/// <summary>Which database holds the registry.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file; the default, so that the server runs with no database server.</summary>
    Sqlite = 0,

    /// <summary>MySQL 8, MariaDB or PlanetScale through Pomelo.</summary>
    MySql = 1,
}
