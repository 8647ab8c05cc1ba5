using Tunnel.Bench.Measurements;
using Tunnel.Bench.Paths;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Wan;

/// <summary>
/// The WAN rows: for each one-way delay, a <see cref="DelayProxy"/> in front of the tunnel server (for a fresh agent
/// with the shipped settings) and one in front of sshd (for a fresh <c>ssh -R</c> with the same cipher), then one
/// download of the same body through each, checked byte for byte. A home link's latency caps any windowed transfer
/// at window / round trip; loopback hides that.
/// </summary>
internal static class WanMeasurement
{
    public static async Task<List<WanResult>> RunAsync(
        TunnelStack? tunnel, SshReference? ssh, BenchOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var results = new List<WanResult>();
        foreach (var delayMs in options.WanDelaysMs)
        {
            var result = new WanResult { OneWayDelayMs = delayMs, BodyBytes = options.WanBytes };
            results.Add(result);
            var delay = TimeSpan.FromMilliseconds(delayMs);
            if (tunnel is not null)
            {
                result.TunnelMegabytesPerSecond = await MeasureAsync(result, "tunnel", async () =>
                {
                    await using var proxy = DelayProxy.Start(tunnel.ServerAddress.Port, delay);
                    var (agent, path) = await tunnel.StartAgentViaAsync(proxy.Port, $"wan{delayMs}", $"tunnel, {delayMs} ms", cancellationToken);
                    using (agent)
                    using (path)
                    {
                        return await DownloadAsync(path, options.WanBytes, cancellationToken);
                    }
                });
            }

            if (ssh is not null)
            {
                result.SshMegabytesPerSecond = await MeasureAsync(result, "ssh -R", async () =>
                {
                    await using var proxy = DelayProxy.Start(ssh.SshdPort, delay);
                    var (client, path) = await ssh.StartClientViaAsync(proxy.Port, $"ssh-wan{delayMs}", $"ssh -R, {delayMs} ms", cancellationToken);
                    using (client)
                    using (path)
                    {
                        return await DownloadAsync(path, options.WanBytes, cancellationToken);
                    }
                });
            }

            progress($"WAN {delayMs} ms one-way: tunnel {result.TunnelMegabytesPerSecond:N1} MB/s, ssh -R {result.SshMegabytesPerSecond:N1} MB/s{(result.Ratio is { } r ? $" ({r:0.00}×)" : "")}");
        }

        return results;
    }

    private static async Task<double> DownloadAsync(BenchPath path, long bytes, CancellationToken cancellationToken)
    {
        var (_, seconds) = await BodyDownload.RunAsync(path.Client, path.Url($"/file/{bytes}"), bytes, cancellationToken);
        return Math.Round(bytes / seconds / 1e6, 1);
    }

    private static async Task<double?> MeasureAsync(WanResult result, string name, Func<Task<double>> measure)
    {
        try
        {
            return await measure();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result.Errors.Add($"{name}: {ex.Message}");
            return null;
        }
    }
}
