namespace Tunnel.Agent.HubProtocol;

/// <summary>The result kinds of a Completion message (SignalR's HubProtocol spec, MessagePack encoding).</summary>
internal static class CompletionResult
{
    public const int Error = 1;
    public const int Void = 2;
    public const int NonVoid = 3;
}
