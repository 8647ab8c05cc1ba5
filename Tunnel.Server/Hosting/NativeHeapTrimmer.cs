using System.Runtime.InteropServices;

namespace Tunnel.Server.Hosting;

/// <summary>
/// Gives the pages the C heap holds free back to the system (glibc's <c>malloc_trim</c>), after a burst. glibc keeps
/// what native code freed (the JIT's scratch memory, SQLite's caches, OpenSSL's contexts) in its arenas for reuse and
/// returns little on its own: measured after the benchmark's 1,000 agents, 256 MiB downloads and small requests, a
/// trim took RSS from 164 to 153 MiB. Elsewhere (Windows, macOS, musl, which has no <c>malloc_trim</c>) it does nothing.
/// </summary>
internal sealed class NativeHeapTrimmer
{
    private bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Trims the C heap where that is possible.</summary>
    public void Trim()
    {
        if (_unavailable)
        {
            return;
        }

        try
        {
            MallocTrim(0);
        }
        catch (Exception)
        {
            // DllNotFoundException (musl), EntryPointNotFoundException, or anything else: an optional trim must never
            // take the process down from the cache's timer; it is not tried again.
            _unavailable = true;
        }
    }

    // "libc.so.6", not "libc": on glibc systems "libc.so" is a linker script that dlopen cannot load.
    // DllImport rather than LibraryImport: the signature is blittable, and the generator would need unsafe code enabled.
    [DllImport("libc.so.6", EntryPoint = "malloc_trim", ExactSpelling = true)]
    private static extern int MallocTrim(nuint pad);
}
