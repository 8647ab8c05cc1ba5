namespace Tunnel.Server.Auth;

/// <summary>The credential an <c>/auth</c> route takes, checked by <see cref="RouteAuthorizationFilter"/>.</summary>
internal enum RouteCredential
{
    /// <summary>None checked before the handler: the route answers without one, or checks its own (magic token).</summary>
    None,

    /// <summary><c>clientId</c> in the query (400 if bad), then its client access token (401/429).</summary>
    ClientToken,

    /// <summary><c>clientId</c> in the query (400 if bad), then a signature token of it (401/429).</summary>
    SignatureToken,

    /// <summary>Administration open (503 if not), then the admin token (401/429).</summary>
    AdminToken,
}
