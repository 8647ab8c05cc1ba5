namespace Tunnel.Tests.Fixtures;

/// <summary>Polls a condition until it holds or a bounded time passes; every wait in the tests has a limit.</summary>
public static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }

    public static Task<bool> HoldsAsync(Func<bool> condition, TimeSpan within) =>
        HoldsAsync(() => Task.FromResult(condition()), within);
}
