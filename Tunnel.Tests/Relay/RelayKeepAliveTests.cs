using System.Net.WebSockets;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>
/// Keep-alive is per hop: the server pings the remote app, the home pings the agent's socket. An idle relay lives on;
/// a remote that stops answering pings is dropped, and so is its home socket.
/// </summary>
public sealed class RelayKeepAliveTests
{
    [Fact]
    public async Task IdleRelay_Survives60s_WithDefaultKeepAlives()
    {
        // Default server keep-alive (ping 5 s, drop after 10 s more) and the home's (ping 5 s, drop after 5 s more):
        // 60 s is many times both, so only answered pings on both hops keep this relay alive.
        await using var stack = await TunnelStack.StartAsync();
        var (remote, home) = await RelayApi.OpenAsync(stack, await RelayApi.SignatureAsync(stack));
        using (remote)
        {
            // A pending receive is what lets the remote answer pings, as a browser always does. Nothing may arrive
            // and nothing may close for 60 s: the waiting is what this test is about.
            var buffer = new byte[4096];
            var receive = remote.Socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask();
            (await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(60)))).Should().NotBeSameAs(receive,
                "nothing is sent for 60 s and nothing closes the relay");

            home.IsOpen.Should().BeTrue("the agent answered the home's pings all along");
            await remote.SendTextAsync("{\"type\":\"ECHO\",\"after\":60}");
            var result = await receive.WaitAsync(TimeSpan.FromSeconds(10));
            result.MessageType.Should().Be(WebSocketMessageType.Text);
            System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count).Should().Be("{\"type\":\"ECHO\",\"after\":60}");
            home.Received.Snapshot().Should().HaveCount(2);
            await remote.CloseAsync();
        }
    }

    [Fact]
    public async Task SilentRemote_IsDropped_AndItsHomeSocketClosed()
    {
        await using var stack = await TunnelStack.StartAsync(new ServerSettings
        {
            Extra = { ["Tunnel:Relay:KeepAliveInterval"] = "00:00:01", ["Tunnel:Relay:KeepAliveTimeout"] = "00:00:02" },
        });
        var (remote, home) = await RelayApi.OpenAsync(stack, await RelayApi.SignatureAsync(stack));
        using (remote)
        {
            // No receive pending: the client never reads the server's pings, so it never answers them.
            var ended = await home.Ended.WaitAsync(TimeSpan.FromSeconds(15));
            ended.Reason.Should().Be(HomeDisconnectReason.ClientClosed, "the agent closes the home's socket when the remote is dropped");
            await RelayLifecycleTests.AssertRelayLoggedAsync(stack, Tunnel.Server.Relay.RelayEnd.RemoteFailed);
        }
    }
}
