using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Tunnel.Server.Admin;

/// <summary>
/// <c>GET /admin/events</c>: server-sent events, one <c>snapshot</c> event (JSON <see cref="AdminSnapshot"/>) when
/// anything changed, checked every <see cref="Interval"/>, and the same snapshot again after <see cref="KeepAlive"/>
/// of quiet so that proxies keep the stream open. Ends when the session ends or the server stops.
/// </summary>
internal static class AdminEvents
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public const string EventType = "snapshot";

    public static IResult Stream(HttpContext context, AdminSnapshotSource source, AdminSessions sessions, IHostApplicationLifetime lifetime) =>
        TypedResults.ServerSentEvents(SnapshotsAsync(AdminCookie.Read(context), source, sessions, context.RequestAborted, lifetime.ApplicationStopping), EventType);

    private static async IAsyncEnumerable<string> SnapshotsAsync(
        string? sessionId,
        AdminSnapshotSource source,
        AdminSessions sessions,
        CancellationToken requestAborted,
        CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var end = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping, cancellationToken);
        string? last = null;
        var lastSent = DateTime.MinValue;
        while (!end.IsCancellationRequested && sessions.Find(sessionId) is not null)
        {
            var json = JsonSerializer.Serialize(source.Take(), JsonSerializerOptions.Web);
            if (json != last || DateTime.UtcNow - lastSent >= KeepAlive)
            {
                last = json;
                lastSent = DateTime.UtcNow;
                yield return json;
            }

            await Task.Delay(Interval, end.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
