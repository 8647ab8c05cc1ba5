using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Tunnel.Bench.Origin;

namespace Tunnel.Bench.Soak;

/// <summary>What a soak request asks for; drawn at random by <see cref="Draw"/>.</summary>
internal enum SoakKind
{
    /// <summary>0 – 16 KiB, JSON-like answers (most requests).</summary>
    Small,

    /// <summary>16 KiB – 1 MiB.</summary>
    Medium,

    /// <summary>1 – 8 MiB.</summary>
    Large,

    /// <summary>32 – 64 MiB.</summary>
    Huge,

    /// <summary>A <c>Range</c> of a 1 – 64 MiB file (206).</summary>
    Range,

    /// <summary>A POST of 0 – 8 MiB that the origin checks byte for byte and hashes.</summary>
    Upload,
}

/// <summary>One request of the soak: its id (echoed by the origin), pattern seed, size, mode and range.</summary>
internal sealed record SoakRequest(string Id, SoakKind Kind, long Seed, long Length, bool Buffered, RangeHeaderValue? Range, long RangeStart, long RangeCount)
{
    private const long KiB = 1024;
    private const long MiB = 1024 * 1024;

    /// <summary>Response body bytes expected (for uploads: the upload's size).</summary>
    public long ExpectedBytes => Kind == SoakKind.Range ? RangeCount : Length;

    public HttpStatusCode ExpectedStatus => Kind == SoakKind.Range ? HttpStatusCode.PartialContent : HttpStatusCode.OK;

    /// <summary>The <c>Content-Range</c> a range request must get back; null for the other kinds.</summary>
    public ContentRangeHeaderValue? ExpectedContentRange => Kind == SoakKind.Range ? new(RangeStart, RangeStart + RangeCount - 1, Length) : null;

    /// <summary>Time after which a request counts as hung: 30 s plus 1 s per MiB.</summary>
    public TimeSpan Timeout => TimeSpan.FromSeconds(30 + (Length / (double)MiB));

    public string PathAndQuery(string clientId) => Kind == SoakKind.Upload
        ? string.Create(CultureInfo.InvariantCulture, $"/soak/upload/{Seed}?clientId={clientId}")
        : string.Create(CultureInfo.InvariantCulture, $"/soak/{Seed}/{Length}?clientId={clientId}");

    public string Describe() =>
        $"{Id} {Kind} {(Kind == SoakKind.Upload ? "POST" : "GET")} {PathAndQuery("…")} {(Buffered ? "buffered" : "streamed")}{(Range is null ? "" : " Range: " + Range)}";

    public static SoakRequest Draw(Random rng, string id)
    {
        var seed = rng.NextInt64(0, TestPattern.Period);
        var buffered = rng.NextDouble() < 0.4;
        var r = rng.NextDouble();
        if (r < 0.50)
        {
            return new(id, SoakKind.Small, seed, rng.NextInt64(0, (16 * KiB) + 1), buffered, null, 0, 0);
        }

        if (r < 0.70)
        {
            return new(id, SoakKind.Medium, seed, rng.NextInt64(16 * KiB, MiB + 1), buffered, null, 0, 0);
        }

        if (r < 0.84)
        {
            return new(id, SoakKind.Large, seed, rng.NextInt64(MiB, (8 * MiB) + 1), buffered, null, 0, 0);
        }

        if (r < 0.85)
        {
            return new(id, SoakKind.Huge, seed, rng.NextInt64(32 * MiB, (64 * MiB) + 1), buffered, null, 0, 0);
        }

        if (r < 0.93)
        {
            var length = rng.NextInt64(MiB, (64 * MiB) + 1);
            var form = rng.NextDouble();
            if (form < 0.1)
            {
                // Suffix: the last n bytes (the whole file when n is longer, RFC 9110 14.1.2).
                var suffix = rng.NextInt64(1, (2 * MiB) + 1);
                var count = Math.Min(suffix, length);
                return new(id, SoakKind.Range, seed, length, buffered, new RangeHeaderValue(null, suffix), length - count, count);
            }

            var start = rng.NextInt64(0, length);
            if (form < 0.3 && length - start <= 4 * MiB)
            {
                // Open: from start to the end.
                return new(id, SoakKind.Range, seed, length, buffered, new RangeHeaderValue(start, null), start, length - start);
            }

            var part = Math.Min(length - start, rng.NextInt64(1, (2 * MiB) + 1));
            return new(id, SoakKind.Range, seed, length, buffered, new RangeHeaderValue(start, start + part - 1), start, part);
        }

        var upload = rng.NextDouble() < 0.5 ? rng.NextInt64(0, (64 * KiB) + 1) : rng.NextInt64(64 * KiB, (8 * MiB) + 1);
        return new(id, SoakKind.Upload, seed, upload, buffered, null, 0, 0);
    }
}
