using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;
using Tunnel.Server.Agents;
using Tunnel.Server.Relay;

namespace Tunnel.Tests.Relay;

/// <summary>
/// The queue of home-to-remote pieces of one relay (pure logic, no sockets): a remote app that does not keep up is
/// closed with 1008, but a piece the agent sent after it said the home side closed (an agent stopping, issue 11's
/// 1012) is dropped, so the remote app still learns why it was closed.
/// </summary>
public sealed class RemoteRelayQueueTests
{
    [Fact]
    public void PieceAfterTheHomeClosed_IsDropped_AndTheRelayEndsWithTheHomesStatus()
    {
        var relay = new RemoteRelay("c1", Session(), maxQueuedBytes: 1024);
        relay.LocalClosed(RelayCloseStatus.ServiceRestart);

        relay.QueueToRemote(new RelayFrame(true, true, new byte[10]));

        relay.End.Should().Be(RelayEnd.None, "the piece came after the close and is not a full queue");
        relay.QueueDrained();
        relay.End.Should().Be(RelayEnd.LocalClosed);
        relay.CloseStatus.Should().Be(RelayCloseStatus.ServiceRestart);
    }

    [Fact]
    public void MoreThanTheQueueHolds_Closes1008()
    {
        var relay = new RemoteRelay("c1", Session(), maxQueuedBytes: 1024);

        relay.QueueToRemote(new RelayFrame(false, false, new byte[1000]));
        relay.End.Should().Be(RelayEnd.None);
        relay.QueueToRemote(new RelayFrame(false, true, new byte[100]));

        relay.End.Should().Be(RelayEnd.QueueFull);
        relay.CloseStatus.Should().Be(RelayCloseStatus.PolicyViolation);
    }

    // The queue never touches the session; the relay only carries it for the hub.
    private static AgentSession Session() => new("c1", "connection-1", null!, null!);
}
