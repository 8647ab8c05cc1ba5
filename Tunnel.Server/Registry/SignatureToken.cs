namespace Tunnel.Server.Registry;

/// <summary>A row of <c>signature_tokens</c>: opens only the media routes of one client until it expires.</summary>
internal sealed class SignatureToken
{
    public required string TokenHash { get; set; }

    public required string ClientId { get; set; }

    public DateTime Expires { get; set; }

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }
}
