using Microsoft.EntityFrameworkCore;

namespace Tunnel.Server.Registry;

/// <summary>
/// The registry's model, shared by both providers. Each provider has a subclass only so that it can keep
/// its own migrations (<c>Migrations/Sqlite</c>, <c>Migrations/MySql</c>).
/// </summary>
internal abstract class TunnelDbContext(DbContextOptions options) : DbContext(options)
{
    // Lengths bound index sizes on MySQL (utf8mb4: 4 bytes a character, 3072-byte key limit).
    internal const int ClientIdMaxLength = 64;
    private const int HashLength = 64;
    private const int ConnectionIdMaxLength = 128;
    private const int NodeIdMaxLength = 128;
    private const int AgentInstanceMaxLength = 128;
    private const int UrlMaxLength = 512;

    public DbSet<AgentConnection> Connections => Set<AgentConnection>();

    public DbSet<ClusterNode> Nodes => Set<ClusterNode>();

    public DbSet<ClientAccessToken> ClientAccessTokens => Set<ClientAccessToken>();

    public DbSet<SignatureToken> SignatureTokens => Set<SignatureToken>();

    public DbSet<MagicToken> MagicTokens => Set<MagicToken>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AgentConnection>(e =>
        {
            e.ToTable("connections");
            // Every live connection of a client has its own row (issue 12): the key is client and connection.
            e.HasKey(c => new { c.ClientId, c.ConnectionId });
            e.Property(c => c.ClientId).HasColumnName("client_id").HasMaxLength(ClientIdMaxLength);
            e.Property(c => c.ConnectionId).HasColumnName("tunnel_ws_id").HasMaxLength(ConnectionIdMaxLength);
            e.Property(c => c.NodeId).HasColumnName("node_id").HasMaxLength(NodeIdMaxLength);
            e.Property(c => c.AgentInstance).HasColumnName("agent_instance").HasMaxLength(AgentInstanceMaxLength);
            e.Property(c => c.Created).HasColumnName("created");
            e.Property(c => c.Updated).HasColumnName("updated");
            e.HasIndex(c => c.NodeId);
        });

        modelBuilder.Entity<ClusterNode>(e =>
        {
            e.ToTable("nodes");
            e.HasKey(n => n.NodeId);
            e.Property(n => n.NodeId).HasColumnName("node_id").HasMaxLength(NodeIdMaxLength);
            e.Property(n => n.InternalUrl).HasColumnName("internal_url").HasMaxLength(UrlMaxLength);
            e.Property(n => n.Started).HasColumnName("started");
            e.Property(n => n.Heartbeat).HasColumnName("heartbeat");
        });

        modelBuilder.Entity<ClientAccessToken>(e =>
        {
            e.ToTable("client_access_tokens");
            e.HasKey(t => t.TokenHash);
            e.Property(t => t.TokenHash).HasColumnName("token_hash").HasMaxLength(HashLength);
            e.Property(t => t.ClientId).HasColumnName("client_id").HasMaxLength(ClientIdMaxLength);
            e.Property(t => t.Expires).HasColumnName("expires");
            e.Property(t => t.Created).HasColumnName("created");
            e.Property(t => t.Updated).HasColumnName("updated");
            e.HasIndex(t => t.ClientId);
        });

        modelBuilder.Entity<SignatureToken>(e =>
        {
            e.ToTable("signature_tokens");
            e.HasKey(t => t.TokenHash);
            e.Property(t => t.TokenHash).HasColumnName("token_hash").HasMaxLength(HashLength);
            e.Property(t => t.ClientId).HasColumnName("client_id").HasMaxLength(ClientIdMaxLength);
            e.Property(t => t.Expires).HasColumnName("expires");
            e.Property(t => t.Created).HasColumnName("created");
            e.Property(t => t.Updated).HasColumnName("updated");
            e.HasIndex(t => t.ClientId);
        });

        modelBuilder.Entity<MagicToken>(e =>
        {
            e.ToTable("magic_tokens");
            e.HasKey(t => t.MagicTokenHash);
            e.Property(t => t.MagicTokenHash).HasColumnName("magic_token_hash").HasMaxLength(HashLength);
            e.Property(t => t.ClientId).HasColumnName("client_id").HasMaxLength(ClientIdMaxLength);
            e.Property(t => t.Expires).HasColumnName("expires");
            e.Property(t => t.Created).HasColumnName("created");
            e.Property(t => t.Updated).HasColumnName("updated");
        });
    }
}
