namespace Tunnel.Server.Forwarding;

/// <summary>How the server sends the agent's response to the caller.</summary>
internal enum ResponseMode
{
    /// <summary>Bytes go to the caller as they arrive (the default; "Data Stream Request").</summary>
    Streamed = 0,

    /// <summary>The whole body is collected first, then sent with Content-Length ("Data Blocking Request").</summary>
    Buffered = 1,
}
