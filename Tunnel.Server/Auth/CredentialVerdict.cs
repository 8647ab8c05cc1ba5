namespace Tunnel.Server.Auth;

/// <summary>What checking a request's credential found. Only <see cref="Invalid"/> counts as a failed attempt.</summary>
internal enum CredentialVerdict
{
    /// <summary>Nothing was presented: refused, but not a guess.</summary>
    Missing,

    /// <summary>Something was presented and it is wrong, malformed, expired, revoked or another client's.</summary>
    Invalid,

    Valid,
}
