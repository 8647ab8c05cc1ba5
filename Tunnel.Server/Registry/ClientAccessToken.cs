namespace Tunnel.Server.Registry;

/// <summary>A row of <c>client_access_tokens</c>: the SHA-256 of a token that lets its holder act as a client.</summary>
internal sealed class ClientAccessToken
{
    public required string TokenHash { get; set; }

    public required string ClientId { get; set; }

    public DateTime? Expires { get; set; }

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }
}
