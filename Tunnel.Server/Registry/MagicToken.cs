namespace Tunnel.Server.Registry;

/// <summary>A row of <c>magic_tokens</c>: a one-time login token a home server registered for its client.</summary>
internal sealed class MagicToken
{
    public required string MagicTokenHash { get; set; }

    public required string ClientId { get; set; }

    public DateTime? Expires { get; set; }

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }
}
