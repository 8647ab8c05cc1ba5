namespace Tunnel.Server.Auth;

/// <summary>
/// Endpoint metadata: what an <c>/auth</c> route requires, declared with the route (see
/// <see cref="RouteAuthorizationFilter"/>). <paramref name="Route"/> names the route in logs.
/// </summary>
internal sealed record RouteAuthorization(RouteCredential Credential, string Route);
