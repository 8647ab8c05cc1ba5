using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.FileProviders;

namespace Tunnel.Agent.ServeDir;

/// <summary>
/// <c>--serve-dir PATH</c>: a folder served as the origin inside the agent process, so the tunnel can be tried
/// without MoosicBox. ASP.NET Core's static files (Range → 206, ETag and Last-Modified → 304, HEAD) plus a directory
/// listing whose links keep the query (clientId), on 127.0.0.1 at a random port: reachable only through the tunnel or from this machine.
/// </summary>
internal sealed class DirectoryOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DirectoryOrigin(WebApplication app, Uri baseAddress, string root)
    {
        _app = app;
        BaseAddress = baseAddress;
        Root = root;
    }

    public Uri BaseAddress { get; }

    public string Root { get; }

    public static async Task<DirectoryOrigin> StartAsync(string path, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"--serve-dir: '{path}' is not a folder.");
        }

        // An empty builder: the agent's configuration (Kestrel endpoints, URLs) must not apply to this listener.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = root });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.AddDirectoryBrowser();
        var app = builder.Build();
        var files = new PhysicalFileProvider(root);
        app.UseFileServer(new FileServerOptions
        {
            FileProvider = files,
            EnableDirectoryBrowsing = true,
            DirectoryBrowserOptions = { Formatter = new QueryKeepingDirectoryFormatter() },
            StaticFileOptions =
            {
                // Music, covers, anything: files without a known type are sent as application/octet-stream.
                ServeUnknownFileTypes = true,
                DefaultContentType = "application/octet-stream",
            },
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new DirectoryOrigin(app, new Uri(address + "/"), root);
    }

    /// <summary>
    /// With <c>--serve-dir PATH</c> among <paramref name="args"/>: starts the folder's origin and makes it
    /// <c>Agent:OriginUrl</c>. Null without the option.
    /// </summary>
    public static async Task<DirectoryOrigin?> StartIfAskedAsync(IHostApplicationBuilder builder, string[] args)
    {
        if (ServeDirArgument.Find(args) is not { } path)
        {
            return null;
        }

        var origin = await StartAsync(path.Length > 0 ? path : throw new DirectoryNotFoundException("--serve-dir needs a folder."));
        builder.Configuration["Agent:OriginUrl"] = origin.BaseAddress.ToString();
        return origin;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
