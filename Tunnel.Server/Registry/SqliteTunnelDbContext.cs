using Microsoft.EntityFrameworkCore;

namespace Tunnel.Server.Registry;

/// <summary>The registry on SQLite, the embedded default.</summary>
internal sealed class SqliteTunnelDbContext(DbContextOptions<SqliteTunnelDbContext> options) : TunnelDbContext(options);
