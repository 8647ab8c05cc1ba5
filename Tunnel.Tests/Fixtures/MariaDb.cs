using MySqlConnector;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A fresh database on the MariaDB server named by <c>TUNNEL_TEST_MYSQL</c> (test.sh starts a throwaway one).
/// Missing server = failed test, never a skip: CI must prove the MySQL path.
/// </summary>
public static class MariaDb
{
    public const string EnvironmentVariable = "TUNNEL_TEST_MYSQL";

    public static async Task<string> CreateDatabaseAsync()
    {
        var baseConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(baseConnectionString))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run ./test.sh (it starts a throwaway MariaDB), or point {EnvironmentVariable} at a MySQL/MariaDB server.");
        }

        var name = "tunnel_" + Guid.NewGuid().ToString("N")[..12];
        var builder = new MySqlConnectionStringBuilder(baseConnectionString) { Database = string.Empty };
        await using (var connection = new MySqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE `{name}`";
            await command.ExecuteNonQueryAsync();
        }

        builder.Database = name;
        return builder.ConnectionString;
    }
}
