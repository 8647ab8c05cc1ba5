using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>Frames cross verbatim, in order, text as text and binary as binary, within the 64 KiB / 1 MiB limits.</summary>
public sealed class RelayFrameTests(RelayStackFixture fixture) : IClassFixture<RelayStackFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private TunnelStack Stack => fixture.Stack;

    [Fact]
    public async Task GetConnectionId_AnswersTheHomesOwnIdThenSessions()
    {
        var watch = new LogWatch(Stack);
        var signature = await RelayApi.SignatureAsync(Stack);
        using var remote = await RelayApi.ConnectAsync(Stack, signature);
        await remote.SendTextAsync("{\"type\":\"GET_CONNECTION_ID\"}");
        var id = RelayApi.ConnectionIdOf(await remote.ReceiveTextAsync());
        RelayApi.TypeOf(await remote.ReceiveTextAsync()).Should().Be("SESSIONS");

        var home = Stack.Origin.Home.Connection(id);
        home.Received.Snapshot().Select(m => m.Text).Should().Equal("{\"type\":\"GET_CONNECTION_ID\"}");
        await remote.CloseAsync();
        watch.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task ThousandMessages_EachWay_ArriveInOrder()
    {
        var watch = new LogWatch(Stack);
        var (remote, home) = await RelayApi.OpenAsync(Stack, await RelayApi.SignatureAsync(Stack));
        using (remote)
        {
            var sent = Enumerable.Range(0, 1000).Select(i => $"{{\"type\":\"PING\",\"n\":{i}}}").ToList();
            foreach (var text in sent)
            {
                await remote.SendTextAsync(text);
            }

            var up = await home.Received.WaitForCountAsync(1 + sent.Count, Within);
            up.Skip(1).Select(m => m.Text).Should().Equal(sent, "remote-to-home order is kept");

            var down = Enumerable.Range(0, 1000).Select(i => $"{{\"type\":\"SCAN_EVENT\",\"n\":{i}}}").ToList();
            var sending = Task.Run(async () =>
            {
                foreach (var text in down)
                {
                    await home.SendTextAsync(text);
                }
            });
            var received = new List<string>();
            for (var i = 0; i < down.Count; i++)
            {
                received.Add(await remote.ReceiveTextAsync());
            }

            await sending;
            received.Should().Equal(down, "home-to-remote order is kept");
            await remote.CloseAsync();
        }

        watch.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task BinaryAndText_StayWhatTheyAre_BothWays()
    {
        var (remote, home) = await RelayApi.OpenAsync(Stack, await RelayApi.SignatureAsync(Stack));
        using (remote)
        {
            var binary = RandomNumberGenerator.GetBytes(1000);
            await remote.SendBinaryAsync(binary);
            var up = await home.Received.WaitForCountAsync(2, Within);
            up[1].Type.Should().Be(WebSocketMessageType.Binary);
            up[1].Data.Should().Equal(binary);

            var echoed = await remote.ReceiveAsync();
            echoed.Type.Should().Be(WebSocketMessageType.Binary, "the stand-in echoes binary as binary");
            echoed.Data.Should().Equal(binary);

            await remote.SendTextAsync("{\"type\":\"ECHO\",\"é\":\"ü\"}");
            (await remote.ReceiveTextAsync()).Should().Be("{\"type\":\"ECHO\",\"é\":\"ü\"}");
            await remote.CloseAsync();
        }
    }

    [Fact]
    public async Task RemoteMessage_Of64KiB_Passes_OneByteMore_Closes1009()
    {
        var (remote, home) = await RelayApi.OpenAsync(Stack, await RelayApi.SignatureAsync(Stack));
        using (remote)
        {
            var exactly = HomeMessages.Blob(64 * 1024, seed: 3);
            await remote.SendTextAsync(exactly);
            (await home.Received.WaitForCountAsync(2, Within))[1].Text.Should().Be(exactly);

            await remote.SendTextAsync(HomeMessages.Blob((64 * 1024) + 1, seed: 4));
            (await remote.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.MessageTooBig);
            var ended = await home.Ended.WaitAsync(Within);
            ended.Reason.Should().Be(HomeDisconnectReason.ClientClosed, "the agent closes the home's socket; the home never sees the oversized message");
            home.Received.Count.Should().Be(2);
        }
    }

    [Fact]
    public async Task FragmentedRemoteMessage_ReachesTheHomeWhole()
    {
        var (remote, home) = await RelayApi.OpenAsync(Stack, await RelayApi.SignatureAsync(Stack));
        using (remote)
        {
            var text = HomeMessages.Blob(50_000, seed: 5);
            var bytes = Encoding.UTF8.GetBytes(text);
            await remote.Socket.SendAsync(bytes.AsMemory(0, 10_000), WebSocketMessageType.Text, false, CancellationToken.None);
            await remote.Socket.SendAsync(bytes.AsMemory(10_000, 30_000), WebSocketMessageType.Text, false, CancellationToken.None);
            await remote.Socket.SendAsync(bytes.AsMemory(40_000), WebSocketMessageType.Text, true, CancellationToken.None);

            var up = await home.Received.WaitForCountAsync(2, Within);
            up[1].Text.Should().Be(text);
            await remote.CloseAsync();
        }
    }

    [Theory]
    [InlineData((64 * 1024) + 1)]
    [InlineData(1024 * 1024)]
    public async Task HomeMessage_UpTo1MiB_ReachesTheRemoteWhole(int size)
    {
        var (remote, home) = await RelayApi.OpenAsync(Stack, await RelayApi.SignatureAsync(Stack));
        using (remote)
        {
            var sent = await home.SendTextOfSizeAsync(size, seed: 6);
            var received = await remote.ReceiveAsync(Within);
            received.Type.Should().Be(WebSocketMessageType.Text);
            received.Data.Length.Should().Be(size);
            SHA256.HashData(received.Data).Should().Equal(SHA256.HashData(Encoding.UTF8.GetBytes(sent)));
            await remote.CloseAsync();
        }
    }

    [Fact]
    public async Task UpdateSession_ReachesTheOtherApp_NotTheSender()
    {
        var signature = await RelayApi.SignatureAsync(Stack);
        var (a, _) = await RelayApi.OpenAsync(Stack, signature);
        var (b, _) = await RelayApi.OpenAsync(Stack, signature);
        using (a)
        using (b)
        {
            await a.SendTextAsync("{\"type\":\"UPDATE_SESSION\",\"payload\":{\"sessionId\":1,\"playing\":true}}");
            var update = await b.ReceiveTextAsync();
            RelayApi.TypeOf(update).Should().Be("SESSION_UPDATED");

            // The sender gets its own echo next, not the update.
            await a.SendTextAsync("{\"type\":\"ECHO\",\"n\":1}");
            (await a.ReceiveTextAsync()).Should().Be("{\"type\":\"ECHO\",\"n\":1}");

            // Broadcast to all: both get it.
            await a.SendTextAsync("{\"type\":\"CREATE_SESSION\",\"payload\":{\"name\":\"x\"}}");
            RelayApi.TypeOf(await a.ReceiveTextAsync()).Should().Be("SESSIONS");
            RelayApi.TypeOf(await b.ReceiveTextAsync()).Should().Be("SESSIONS");
            await a.CloseAsync();
            await b.CloseAsync();
        }
    }
}
