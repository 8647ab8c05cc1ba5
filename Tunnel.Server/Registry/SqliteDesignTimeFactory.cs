using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Tunnel.Server.Registry;

/// <summary>Lets <c>dotnet ef migrations add X --context SqliteTunnelDbContext</c> build the SQLite model.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTunnelDbContext>
{
    public SqliteTunnelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTunnelDbContext>().UseSqlite(DatabaseOptions.DefaultSqliteConnectionString).Options);
}
