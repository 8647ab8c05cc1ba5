using System.Diagnostics;
using System.Net;
using Tunnel.Server.Relay;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>
/// A remote app that stops reading fills only its own queue: it is closed with 1008 while HTTP downloads of the same
/// agent and its other sockets go on at full speed (nothing waits on it, least of all the hub's receive loop).
/// </summary>
[Collection(MeasuredCollection.Name)]
public sealed class RelayBackpressureTests
{
    private const long DownloadSize = 64L * 1024 * 1024;

    [Fact]
    public async Task NonReadingRemote_Closed1008_DownloadAndOtherSocketUnaffected()
    {
        await using var stack = await TunnelStack.StartAsync(new ServerSettings
        {
            Extra = { ["Tunnel:Relay:RemoteQueueBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        var watch = new LogWatch(stack);
        var signature = await RelayApi.SignatureAsync(stack);
        var (stuck, stuckHome) = await RelayApi.OpenAsync(stack, signature);
        var (other, otherHome) = await RelayApi.OpenAsync(stack, signature);
        using (stuck)
        using (other)
        {
            // The home floods the app that never reads again: 64 KiB messages, far beyond its queue and TCP buffers.
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var flood = Task.Run(async () =>
            {
                for (var i = 0; i < 2000 && stuckHome.IsOpen && !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        await stuckHome.SendTextOfSizeAsync(64 * 1024, i);
                    }
                    catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }
                }
            });

            // Meanwhile a download through the same agent, byte for byte.
            using var http = stack.CreateClient();
            var clock = Stopwatch.StartNew();
            using (var response = await http.GetAsync(stack.Url($"/files/{DownloadSize}"), HttpCompletionOption.ResponseHeadersRead))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                (await BodyHash.ReadAsync(response, stop.Token)).Should().Be(BodyHash.OfPattern(DownloadSize));
            }

            // A stall behind the stuck app would last until its keep-alive gives up (10-15 s).
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8), "the download never waits on the stuck app");

            // The other app of the same client still gets every message, in order.
            var texts = Enumerable.Range(0, 100).Select(i => $"{{\"type\":\"SCAN_EVENT\",\"n\":{i}}}").ToList();
            foreach (var text in texts)
            {
                await otherHome.SendTextAsync(text);
            }

            // The home also tells it about the stuck app's socket closing (CONNECTIONS), whenever that happens.
            var received = new List<string>();
            while (received.Count < texts.Count)
            {
                var text = await other.ReceiveTextAsync();
                if (RelayApi.TypeOf(text) != "CONNECTIONS")
                {
                    received.Add(text);
                }
            }

            received.Should().Equal(texts);

            // The stuck app was closed for not reading, and its home socket with it.
            (await Eventually.HoldsAsync(
                () => stack.Server.Logs.GetSnapshot().Any(r => r.Id.Name == "RelayClosed" && r.Message.Contains(nameof(RelayEnd.QueueFull), StringComparison.Ordinal)),
                TimeSpan.FromSeconds(20))).Should().BeTrue("the stuck app's queue filled and it was closed with 1008");
            await stuckHome.Ended.WaitAsync(TimeSpan.FromSeconds(10));
            stop.Cancel();
            await flood;
            await other.CloseAsync();
        }

        watch.ShouldHaveNoErrors();
    }
}
