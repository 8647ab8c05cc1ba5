using Microsoft.Extensions.Time.Testing;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// One tunnel (origin, server, agent of <c>home-1</c>) whose token stores run on a fake clock, shared by the tests of
/// a class. Tests move <see cref="Clock"/> forward only; tokens are created after a move, so order does not matter.
/// </summary>
public sealed class AuthStackFixture : IAsyncLifetime
{
    private TunnelStack? _stack;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public TunnelStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    public async Task InitializeAsync() =>
        _stack = await TunnelStack.StartAsync(new ServerSettings { ConfigureServices = TokenStoreClock.Use(Clock) });

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
