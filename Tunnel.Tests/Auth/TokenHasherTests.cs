using Tunnel.Server.Auth;

namespace Tunnel.Tests.Auth;

public sealed class TokenHasherTests
{
    [Fact]
    public void Hash_IsLowercaseHexSha256()
    {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        TokenHasher.Hash("abc").Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void FixedTimeEquals_ComparesValues()
    {
        TokenHasher.FixedTimeEquals("secret-value", "secret-value").Should().BeTrue();
        TokenHasher.FixedTimeEquals("secret-valuf", "secret-value").Should().BeFalse();
        TokenHasher.FixedTimeEquals("secret", "secret-value").Should().BeFalse();
        TokenHasher.FixedTimeEquals(string.Empty, "secret-value").Should().BeFalse();
    }

    [Fact]
    public void NewToken_Is256BitsUrlSafeAndUnique()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => TokenGenerator.NewToken()).ToList();
        tokens.Should().OnlyHaveUniqueItems();
        tokens.Should().AllSatisfy(t =>
        {
            t.Should().HaveLength(43);
            t.Should().MatchRegex("^[A-Za-z0-9_-]+$");
        });
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("Home-1_x.y", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    [InlineData("é", false)]
    public void ClientIdRules_AcceptOnlyTheDocumentedAlphabet(string? clientId, bool valid) =>
        ClientIdRules.IsValid(clientId).Should().Be(valid);

    [Fact]
    public void ClientIdRules_Allow64NotMore()
    {
        ClientIdRules.IsValid(new string('x', 64)).Should().BeTrue();
        ClientIdRules.IsValid(new string('x', 65)).Should().BeFalse();
    }
}
