namespace Tunnel.Server.Hosting;

/// <summary>Which web origins may call the tunnel from a browser. Section <c>Tunnel:Cors</c>.</summary>
internal sealed class TunnelCorsOptions
{
    public const string SectionName = "Tunnel:Cors";

    public const string AnyOrigin = "*";

    /// <summary>
    /// <c>*</c> (default, as the original): any origin, reflected with credentials allowed. Otherwise a comma- or
    /// space-separated list of origins such as <c>https://app.example.com, http://localhost:3000</c>.
    /// </summary>
    public string AllowedOrigins { get; set; } = AnyOrigin;

    /// <summary>The configured origins; empty when any origin is allowed.</summary>
    public IReadOnlyList<string> Origins() =>
        AllowedOrigins.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is var list
        && list.Length == 1 && list[0] == AnyOrigin ? [] : list;
}
