using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Tunnel.Tests.Fixtures;

/// <summary>A bare SignalR connection to the hub as an agent would open it, with any token and query.</summary>
public static class RawAgentConnection
{
    public static async Task<HubConnection> ConnectAsync(TunnelServer server, string clientId, string token, string extraQuery = "")
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, $"/ws?clientId={clientId}&sender=true{extraQuery}"), HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .AddMessagePackProtocol()
            .Build();
        try
        {
            await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
