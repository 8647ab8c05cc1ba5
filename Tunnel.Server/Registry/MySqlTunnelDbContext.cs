using Microsoft.EntityFrameworkCore;

namespace Tunnel.Server.Registry;

/// <summary>The registry on MySQL, MariaDB or PlanetScale through Pomelo.</summary>
internal sealed class MySqlTunnelDbContext(DbContextOptions<MySqlTunnelDbContext> options) : TunnelDbContext(options);
