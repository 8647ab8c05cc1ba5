namespace Tunnel.Bench.Paths;

/// <summary>
/// The cipher a performance-minded user gives <c>ssh -c</c>: AES-GCM when the CPU has AES instructions (the
/// <c>aes</c> flag in /proc/cpuinfo) and the client offers it, about twice as fast as OpenSSH's default
/// chacha20-poly1305 there; otherwise the default.
/// </summary>
internal static class SshCipher
{
    public const string AesGcm = "aes128-gcm@openssh.com";

    /// <summary>The cipher to pass with <c>-c</c>, or null for OpenSSH's default; and why, for the report.</summary>
    public static async Task<(string? Cipher, string Description)> PickAsync(string ssh, CancellationToken cancellationToken)
    {
        var aesNi = File.Exists("/proc/cpuinfo") && (await File.ReadAllLinesAsync("/proc/cpuinfo", cancellationToken))
            .Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("aes"));
        var (code, output) = await Processes.Command.RunAsync(ssh, ["-Q", "cipher"], TimeSpan.FromSeconds(10), cancellationToken);
        var offered = code == 0 && output.Split('\n', StringSplitOptions.TrimEntries).Contains(AesGcm);
        return aesNi && offered
            ? (AesGcm, $"{AesGcm} (CPU has AES-NI)")
            : (null, $"OpenSSH's default cipher ({(aesNi ? "client lacks " + AesGcm : "CPU has no AES-NI")})");
    }
}
