using Microsoft.AspNetCore.Http;
using Tunnel.Agent.Relay;
using Tunnel.Server.Relay;

namespace Tunnel.Tests.Relay;

/// <summary>What of the app's query reaches the home, and that the agent's socket never leaves the home's <c>/ws</c>.</summary>
public sealed class RelayTargetTests
{
    [Theory]
    [InlineData("?moosicboxProfile=master&clientId=home&signature=S", "moosicboxProfile=master")]
    [InlineData("?CLIENTID=home&moosicboxProfile=a%20b&SIGNATURE=S&authorization=t", "moosicboxProfile=a%20b&authorization=t")]
    [InlineData("?sig%6Eature=S&client%49d=home&x=1", "x=1")]
    [InlineData("?clientId=a&clientId=b&signature", "")]
    [InlineData("", "")]
    [InlineData("?a=1&&b=%2F", "a=1&b=%2F")]
    public void Query_WithoutClientIdAndSignature_RestVerbatimInOrder(string query, string expected) =>
        RelayQuery.WithoutCredentials(new QueryString(query.Length == 0 ? null : query)).Should().Be(expected);

    [Theory]
    [InlineData("http://127.0.0.1:8001", "moosicboxProfile=master", "ws://127.0.0.1:8001/ws?moosicboxProfile=master")]
    [InlineData("https://home.local", "", "wss://home.local/ws")]
    [InlineData("http://127.0.0.1:8001/some/base", "a=%2F..%2F", "ws://127.0.0.1:8001/ws?a=%2F..%2F")]
    [InlineData("http://127.0.0.1:8001", "x=@evil.example:80/", "ws://127.0.0.1:8001/ws?x=@evil.example:80/")]
    public void Target_IsAlwaysTheOriginsWs(string origin, string query, string expected) =>
        LocalRelayTarget.For(new Uri(origin), query)!.OriginalString.Should().Be(expected);

    [Theory]
    [InlineData("a=1#fragment")]
    [InlineData("a=1 b")]
    public void Target_QueryThatCouldLeaveTheWs_IsRefused(string query) =>
        LocalRelayTarget.For(new Uri("http://127.0.0.1:8001"), query).Should().BeNull();
}
