using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Tunnel.Server.Registry;

/// <summary>
/// Lets <c>dotnet ef migrations add X --context MySqlTunnelDbContext</c> build the MySQL model without a server
/// (the server version is fixed, so nothing connects).
/// </summary>
internal sealed class MySqlDesignTimeFactory : IDesignTimeDbContextFactory<MySqlTunnelDbContext>
{
    public MySqlTunnelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MySqlTunnelDbContext>()
            .UseMySql("Server=localhost", ServerVersion.Parse(new DatabaseOptions().MySqlServerVersion))
            .Options);
}
