using Microsoft.Extensions.Logging.Testing;
using Tunnel.Server.Relay;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>Relays are logged opened and closed with why and bytes each way; the signature never appears.</summary>
public sealed class RelayLogTests
{
    [Fact]
    public async Task Relay_LogsBytesEachWay_NeverTheSignature()
    {
        await using var stack = await TunnelStack.StartAsync(new ServerSettings
        {
            Extra = { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace" },
        });
        var signature = await RelayApi.SignatureAsync(stack);
        var (remote, home) = await RelayApi.OpenAsync(stack, signature);
        using (remote)
        {
            await remote.SendTextAsync("{\"type\":\"ECHO\",\"pad\":\"0123456789\"}");
            await remote.ReceiveTextAsync();
            await remote.CloseAsync();
        }

        await home.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        await RelayLifecycleTests.AssertRelayLoggedAsync(stack, RelayEnd.RemoteClosed);
        var closed = stack.Server.Logs.GetSnapshot().Single(r => r.Id.Name == "RelayClosed");
        var up = "{\"type\":\"GET_CONNECTION_ID\"}".Length + "{\"type\":\"ECHO\",\"pad\":\"0123456789\"}".Length;
        closed.Message.Should().Contain($"{up} bytes to the home server");
        closed.Message.Should().NotContain(" 0 bytes to the remote app");
        stack.Server.Logs.GetSnapshot().Should().Contain(r => r.Id.Name == "RelayOpened");

        foreach (var record in stack.Server.Logs.GetSnapshot().Concat(stack.Agent.Logs.GetSnapshot()))
        {
            Describe(record).Should().NotContain(signature);
        }
    }

    private static string Describe(FakeLogRecord record) =>
        record.Message + " " + string.Join(" ", record.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? [])
        + " " + record.Exception;
}
