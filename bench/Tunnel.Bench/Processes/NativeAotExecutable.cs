using System.Buffers.Binary;

namespace Tunnel.Bench.Processes;

/// <summary>
/// Tells a Native AOT executable from other executables (a single-file bundle, which still JITs; an apphost), so
/// that a report about <c>--agent-exe</c> says which it measured: Native AOT puts the compiled managed code of an
/// ELF executable into a section of its own, <c>__managedcode</c>.
/// </summary>
internal static class NativeAotExecutable
{
    private const int HeaderBytes = 64;
    private const int MaxSectionNamesBytes = 1 << 20;

    /// <summary>True when <paramref name="path"/> is a 64-bit little-endian ELF file with a <c>__managedcode</c> section.</summary>
    public static bool Is(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> header = stackalloc byte[HeaderBytes];
            file.ReadExactly(header);
            // ELF magic, ELFCLASS64, ELFDATA2LSB: every RID the bench runs on (linux-x64, linux-arm64).
            if (header[0] != 0x7F || !header[1..4].SequenceEqual("ELF"u8) || header[4] != 2 || header[5] != 1)
            {
                return false;
            }

            var sectionsOffset = BinaryPrimitives.ReadInt64LittleEndian(header[0x28..]);
            var sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x3A..]);
            var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(header[0x3C..]);
            var namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(header[0x3E..]);
            if (sectionSize < 0x28 || namesIndex >= sectionCount)
            {
                return false;
            }

            // The section holding the section names (.shstrtab): its offset and size in the file.
            Span<byte> names = stackalloc byte[0x28];
            file.Position = sectionsOffset + (long)namesIndex * sectionSize;
            file.ReadExactly(names);
            var namesOffset = BinaryPrimitives.ReadInt64LittleEndian(names[0x18..]);
            var namesLength = BinaryPrimitives.ReadInt64LittleEndian(names[0x20..]);
            if (namesLength is <= 0 or > MaxSectionNamesBytes)
            {
                return false;
            }

            var table = new byte[namesLength];
            file.Position = namesOffset;
            file.ReadExactly(table);
            // Names are NUL-terminated and the table starts with a NUL (the empty name).
            return table.AsSpan().IndexOf("\0__managedcode\0"u8) >= 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
