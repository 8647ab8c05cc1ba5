namespace Tunnel.Tests.Auth;

/// <summary>The refusals every authenticating route is tested with.</summary>
public enum BadCredential
{
    Missing,
    Malformed,
    Expired,
    OtherClients,
    Revoked,
}
