namespace Tunnel.Server.Auth;

/// <summary><c>{"success": true}</c>, the answer to <c>POST /auth/magic-token</c>.</summary>
internal sealed record SuccessResponse(bool Success);
