namespace Tunnel.Tests.Fixtures;

/// <summary>
/// One request to the home's <c>/ws</c> as the home saw it, whether it was upgraded or refused: status 101 when
/// upgraded, the refusal's status otherwise, 0 while it is held (see <see cref="HomeWebSocketEndpoint.HoldUpgrades"/>).
/// </summary>
public sealed record HomeUpgrade(
    int Status,
    string? Profile,
    string? ProfileHeader,
    string? UserAgent,
    string QueryString,
    string? Authorization,
    bool IsWebSocketRequest)
{
    /// <summary>Every request header as received (names lower-cased, repeated values joined with ", ").</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
