using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>The stand-in of the home's <c>/ws</c> behaves as MoosicBox's, checked directly (no tunnel).</summary>
public sealed class HomeWebSocketEndpointTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("moosicboxProfile=unknown")]
    [InlineData("")]
    [InlineData("moosicboxprofile=master")]
    public async Task Upgrade_UnknownOrMissingProfile_Refused400BeforeUpgrade(string query)
    {
        await using var origin = await OriginApp.StartAsync();
        var (client, status) = await TestWebSocketClient.TryConnectAsync(origin.WebSocketUri(query));
        client.Should().BeNull();
        status.Should().Be(HttpStatusCode.BadRequest);
        var seen = await origin.Home.Upgrades.WaitForAsync(_ => true, Wait);
        seen.Status.Should().Be(400);
        origin.Home.Connections.Count.Should().Be(0);
    }

    [Fact]
    public async Task Upgrade_ProfileHeader_AcceptedAndRecordedWithUserAgentAndQuery()
    {
        await using var origin = await OriginApp.StartAsync();
        using var client = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri("a=1&authorization=x"),
            new Dictionary<string, string> { ["moosicbox-profile"] = "master", ["User-Agent"] = "MOOSICBOX_TUNNEL" });
        var connection = await origin.Home.Connections.WaitForAsync(_ => true, Wait);
        connection.Upgrade.Should().BeEquivalentTo(new HomeUpgrade(101, "master", "master", "MOOSICBOX_TUNNEL", "?a=1&authorization=x", "x", true),
            o => o.Excluding(u => u.Headers));
        connection.Upgrade.Headers.Should().Contain("moosicbox-profile", "master").And.ContainKey("sec-websocket-key");
    }

    [Fact]
    public async Task Upgrade_StaticTokenHome_NeedsTheToken()
    {
        await using var origin = await OriginApp.StartAsync(home: new HomeWebSocketSettings { StaticToken = "secret" });
        (await TestWebSocketClient.TryConnectAsync(origin.WebSocketUri())).Status.Should().Be(HttpStatusCode.Unauthorized);
        using var client = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri("moosicboxProfile=master&authorization=secret"));
        client.Socket.State.Should().Be(WebSocketState.Open);
    }

    [Fact]
    public async Task GetConnectionId_AnswersConnectionIdThenSessions_ToTheSenderOnly()
    {
        await using var origin = await OriginApp.StartAsync();
        using var sender = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        using var other = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        await sender.SendTextAsync("""{"type":"GET_CONNECTION_ID"}""");

        var id = JsonDocument.Parse(await sender.ReceiveTextAsync()).RootElement;
        id.GetProperty("type").GetString().Should().Be("CONNECTION_ID");
        var connection = await origin.Home.Connections.WaitForAsync(c => c.Received.Count > 0, Wait);
        id.GetProperty("connectionId").GetString().Should().Be(connection.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await sender.ReceiveTextAsync()).Should().Be("""{"type":"SESSIONS","payload":[]}""");
        await ShouldGetNothingElseAsync(other);
    }

    [Fact]
    public async Task SessionMessages_BroadcastToAllOrAllButTheSender()
    {
        await using var origin = await OriginApp.StartAsync();
        using var a = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        using var b = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        await origin.Home.Connections.WaitForCountAsync(2, Wait);

        await a.SendTextAsync("""{"type":"CREATE_SESSION","payload":{"name":"kitchen"}}""");
        var sessions = """{"type":"SESSIONS","payload":[{"name":"kitchen","sessionId":1}]}""";
        (await a.ReceiveTextAsync()).Should().Be(sessions);
        (await b.ReceiveTextAsync()).Should().Be(sessions);

        await a.SendTextAsync("""{"type":"UPDATE_SESSION","payload":{"sessionId":1,"play":true}}""");
        (await b.ReceiveTextAsync()).Should().Be("""{"type":"SESSION_UPDATED","payload":{"sessionId":1,"play":true}}""");
        await b.SendTextAsync("""{"type":"SET_SEEK","payload":{"sessionId":1,"seek":42}}""");
        (await a.ReceiveTextAsync()).Should().Be("""{"type":"SET_SEEK","payload":{"sessionId":1,"seek":42}}""");
        await a.SendTextAsync("""{"type":"PING"}""");
        await ShouldGetNothingElseAsync(a);
        await ShouldGetNothingElseAsync(b);
    }

    [Fact]
    public async Task Close_RecordedAndConnectionsBroadcastToTheOthers()
    {
        await using var origin = await OriginApp.StartAsync();
        using var stays = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        var leaves = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        var connections = await origin.Home.Connections.WaitForCountAsync(2, Wait);
        await leaves.CloseAsync(WebSocketCloseStatus.EndpointUnavailable);
        leaves.Dispose();

        var gone = await origin.Home.Disconnects.WaitForAsync(_ => true, Wait);
        gone.Should().Be(new HomeDisconnect(connections[1].Id, HomeDisconnectReason.ClientClosed, WebSocketCloseStatus.EndpointUnavailable, ""));
        (await connections[1].Ended).Should().Be(gone);
        (await stays.ReceiveTextAsync()).Should().Be(
            $$"""{"type":"CONNECTIONS","payload":[{"connectionId":"{{connections[0].Id}}","alive":true}]}""");
        origin.Home.Open.Should().ContainSingle().Which.Should().BeSameAs(connections[0]);
    }

    [Fact]
    public async Task Echo_ThousandTextAndBinaryMessages_ComeBackVerbatimInOrder()
    {
        await using var origin = await OriginApp.StartAsync();
        using var client = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await client.SendTextAsync($$"""{"type":"ECHO","payload":{{i}}}""");
                await client.SendBinaryAsync(BitConverter.GetBytes(i));
            }
        });
        for (var i = 0; i < 1000; i++)
        {
            (await client.ReceiveTextAsync()).Should().Be($$"""{"type":"ECHO","payload":{{i}}}""");
            var binary = await client.ReceiveAsync();
            binary.Type.Should().Be(WebSocketMessageType.Binary);
            BitConverter.ToInt32(binary.Data).Should().Be(i);
        }

        await sending;
        var connection = await origin.Home.Connections.WaitForAsync(_ => true, Wait);
        (await connection.Received.WaitForCountAsync(2000, Wait)).Should().HaveCount(2000);
    }

    [Fact]
    public async Task Receive_MessageOf64KiB_Accepted_OneByteMore_ClosesWith1009()
    {
        await using var origin = await OriginApp.StartAsync();
        using var client = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        var largest = EchoOfSize(64 * 1024);
        await client.SendTextAsync(largest);
        (await client.ReceiveTextAsync()).Should().Be(largest);

        await client.SendTextAsync(EchoOfSize((64 * 1024) + 1));
        (await client.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.MessageTooBig);
        (await origin.Home.Disconnects.WaitForAsync(_ => true, Wait)).Reason.Should().Be(HomeDisconnectReason.MessageTooBig);
    }

    [Fact]
    public async Task KeepAlive_SocketThatDoesNotPong_Dropped_OneThatReads_Stays()
    {
        await using var origin = await OriginApp.StartAsync(home: new HomeWebSocketSettings
        {
            PingInterval = TimeSpan.FromMilliseconds(250),
            PongTimeout = TimeSpan.FromSeconds(1),
        });
        using var reading = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        var pending = reading.ReceiveAsync(TimeSpan.FromSeconds(30));
        using var silent = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        var connections = await origin.Home.Connections.WaitForCountAsync(2, Wait);

        var dropped = await origin.Home.Disconnects.WaitForAsync(_ => true, Wait);
        dropped.ConnectionId.Should().Be(connections[1].Id);
        dropped.Reason.Should().Be(HomeDisconnectReason.KeepAliveTimeout, dropped.Error);
        connections[0].IsOpen.Should().BeTrue("a socket with a receive pending answers the home's pings");
        (await pending).Text.Should().StartWith("""{"type":"CONNECTIONS","payload":[{""");
    }

    [Fact]
    public async Task ClientVanishes_RecordedAsConnectionLost()
    {
        await using var origin = await OriginApp.StartAsync();
        using var client = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        await origin.Home.Connections.WaitForAsync(_ => true, Wait);
        client.Socket.Abort();
        var gone = await origin.Home.Disconnects.WaitForAsync(_ => true, Wait);
        gone.Reason.Should().Be(HomeDisconnectReason.ConnectionLost, gone.Error);
    }

    [Fact]
    public async Task Test_SendsSizedMessageAndBroadcasts_OnDemand()
    {
        await using var origin = await OriginApp.StartAsync();
        using var a = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        using var b = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        var connections = await origin.Home.Connections.WaitForCountAsync(2, Wait);

        var blob = await connections[1].SendTextOfSizeAsync(1024 * 1024, seed: 3);
        Encoding.UTF8.GetByteCount(blob).Should().Be(1024 * 1024);
        (await b.ReceiveTextAsync()).Should().Be(blob);
        (await origin.Home.BroadcastTextAsync("""{"type":"SCAN_EVENT"}""", except: connections[1].Id)).Should().Be(1);
        (await a.ReceiveTextAsync()).Should().Be("""{"type":"SCAN_EVENT"}""");
        await b.SendTextAsync("""{"type":"SEND_BLOB","payload":{"size":100}}""");
        (await b.ReceiveTextAsync()).Should().Be(HomeMessages.Blob(100));
    }

    [Fact]
    public async Task HomeSide_CloseAbortAndStop_ReachTheClient()
    {
        var origin = await OriginApp.StartAsync();
        using var closed = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        using var aborted = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        using var stopped = await TestWebSocketClient.ConnectAsync(origin.WebSocketUri());
        var connections = await origin.Home.Connections.WaitForCountAsync(3, Wait);

        await connections[0].CloseAsync(WebSocketCloseStatus.InternalServerError);
        (await closed.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.InternalServerError);
        await closed.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        (await connections[0].Ended).Reason.Should().Be(HomeDisconnectReason.ClosedByHome);

        connections[1].Abort();
        await FluentActions.Awaiting(() => aborted.ReceiveCloseAsync()).Should().ThrowAsync<WebSocketException>();
        (await connections[1].Ended).Reason.Should().Be(HomeDisconnectReason.AbortedByHome);

        var stopping = origin.DisposeAsync().AsTask();
        (await stopped.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        await stopped.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        (await connections[2].Ended).Reason.Should().Be(HomeDisconnectReason.HomeStopping);
        await stopping.WaitAsync(Wait);
    }

    [Fact]
    public async Task HoldUpgrades_RequestIsNeverAnswered()
    {
        await using var origin = await OriginApp.StartAsync();
        origin.Home.HoldUpgrades = true;
        await FluentActions.Awaiting(() => TestWebSocketClient.TryConnectAsync(origin.WebSocketUri(), within: TimeSpan.FromMilliseconds(500)))
            .Should().ThrowAsync<OperationCanceledException>();
        (await origin.Home.Upgrades.WaitForAsync(_ => true, Wait)).Status.Should().Be(0);
    }

    private static string EchoOfSize(int size)
    {
        var head = """{"type":"ECHO","payload":" """.TrimEnd();
        return head + new string('e', size - head.Length - 2) + "\"}";
    }

    /// <summary>Nothing queued for <paramref name="client"/>: an ECHO sent now is the next message it receives.</summary>
    private static async Task ShouldGetNothingElseAsync(TestWebSocketClient client)
    {
        await client.SendTextAsync("""{"type":"ECHO","payload":"marker"}""");
        (await client.ReceiveTextAsync()).Should().Be("""{"type":"ECHO","payload":"marker"}""");
    }
}
