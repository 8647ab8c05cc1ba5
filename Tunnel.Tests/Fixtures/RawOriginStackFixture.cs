namespace Tunnel.Tests.Fixtures;

/// <summary>One <see cref="RawOriginStack"/> shared by the tests of a class; subclasses change the agent's settings.</summary>
public class RawOriginStackFixture : IAsyncLifetime
{
    private RawOriginStack? _stack;

    public RawOriginStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    protected virtual Dictionary<string, string?> AgentExtra => [];

    public async Task InitializeAsync() => _stack = await RawOriginStack.StartAsync(AgentExtra);

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
