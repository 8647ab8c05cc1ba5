namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A tunnel whose server trusts 127.0.0.1 as a proxy, behind a real nginx on 127.0.0.1, with a small failed-auth
/// limit (<see cref="Limit"/>). Tests act as distinct callers by connecting from 127.0.0.2, 127.0.0.3, ….
/// </summary>
public sealed class ProxiedStackFixture : StackFixture
{
    public const int Limit = 3;

    private NginxProxy? _nginx;

    public NginxProxy Nginx => _nginx ?? throw new InvalidOperationException("nginx has not started.");

    protected override Dictionary<string, string> ServerExtra => new()
    {
        ["Tunnel:Auth:FailedAttemptsPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Tunnel:ForwardedHeaders:KnownProxies"] = "127.0.0.1",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _nginx = await NginxProxy.StartAsync(Stack.Server.BaseAddress);
    }

    public override async Task DisposeAsync()
    {
        _nginx?.Dispose();
        await base.DisposeAsync();
    }
}
