namespace Tunnel.Bench.Reporting;

/// <summary>
/// One download of <see cref="BodyBytes"/> with <see cref="OneWayDelayMs"/> added in each direction between the home
/// side and the server side (the agent's hub connection; ssh's connection to sshd). MB = 10^6 bytes.
/// </summary>
internal sealed class WanResult
{
    public required int OneWayDelayMs { get; init; }

    public required long BodyBytes { get; init; }

    public double? TunnelMegabytesPerSecond { get; set; }

    public double? SshMegabytesPerSecond { get; set; }

    public List<string> Errors { get; } = [];

    public double? Ratio => TunnelMegabytesPerSecond is { } t && SshMegabytesPerSecond is { } s && s > 0 ? Math.Round(t / s, 2) : null;
}
