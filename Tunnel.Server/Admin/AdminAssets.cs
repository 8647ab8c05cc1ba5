using System.Collections.Frozen;

namespace Tunnel.Server.Admin;

/// <summary>
/// The page's script and style sheet, embedded in the assembly (<c>Admin/Assets/</c>): no front-end build, no CDN,
/// nothing on disk to deploy.
/// </summary>
internal static class AdminAssets
{
    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Files = new Dictionary<string, (byte[], string)>
    {
        ["admin.js"] = (Load("admin.js"), "text/javascript; charset=utf-8"),
        ["admin.css"] = (Load("admin.css"), "text/css; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IResult Serve(string name) =>
        Files.TryGetValue(name, out var file) ? TypedResults.Bytes(file.Content, file.ContentType) : TypedResults.NotFound();

    private static byte[] Load(string name)
    {
        using var stream = typeof(AdminAssets).Assembly.GetManifestResourceStream("Tunnel.Server.Admin.Assets." + name)
            ?? throw new InvalidOperationException($"The admin page's {name} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
