using System.Diagnostics;

namespace Tunnel.Server.Forwarding;

/// <summary>The server's activity source, <c>Tunnel.Server</c>: one span per forwarded request.</summary>
internal static class ServerTracing
{
    public const string SourceName = "Tunnel.Server";

    public static readonly ActivitySource Source = new(SourceName);
}
