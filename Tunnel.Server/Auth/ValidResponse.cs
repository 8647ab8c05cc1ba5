namespace Tunnel.Server.Auth;

/// <summary><c>{"valid": true}</c>, the original's answer to <c>POST /auth/validate-signature-token</c>.</summary>
internal sealed record ValidResponse(bool Valid);
