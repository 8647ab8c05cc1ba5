namespace Tunnel.Agent.Connection;

/// <summary>The server answered the hub's WebSocket upgrade with 401: the access token is wrong, revoked or another client's.</summary>
internal sealed class TokenRefusedException(Exception inner)
    : Exception("The tunnel server refused the access token (401).", inner)
{
    /// <summary>True when <paramref name="ex"/> or one of its inner exceptions is a refused token.</summary>
    public static bool In(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is TokenRefusedException)
            {
                return true;
            }
        }

        return false;
    }
}
