namespace Tunnel.Server.Admin;

internal static class AdminServiceCollectionExtensions
{
    /// <summary>The admin page's sessions and the snapshot it reads; the routes are mapped by <c>MapAdmin</c>.</summary>
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdminSessions>();
        builder.Services.AddSingleton<AdminSnapshotSource>();
        return builder;
    }
}
