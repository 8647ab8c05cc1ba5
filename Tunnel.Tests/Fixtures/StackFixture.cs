namespace Tunnel.Tests.Fixtures;

/// <summary>
/// One <see cref="TunnelStack"/> shared by the tests of a class (xunit class fixture). Subclasses change the
/// server's or the agent's settings.
/// </summary>
public class StackFixture : IAsyncLifetime
{
    private TunnelStack? _stack;

    public TunnelStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    protected virtual Dictionary<string, string> ServerExtra => [];

    protected virtual Dictionary<string, string?> AgentExtra => [];

    public virtual async Task InitializeAsync() =>
        _stack = await TunnelStack.StartAsync(new ServerSettings { Extra = ServerExtra }, AgentExtra);

    public virtual async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
