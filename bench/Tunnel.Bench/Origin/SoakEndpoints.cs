using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tunnel.Bench.Origin;

/// <summary>
/// The origin's endpoints for the soak (<c>--soak</c>), where every request must get its own, recognisable answer:
/// <list type="bullet">
/// <item><c>GET /soak/{seed}/{length}</c>: <c>length</c> bytes of <see cref="TestPattern"/> starting at pattern
/// offset <c>seed</c>, so that two requests of the same size get different bytes; a single
/// <c>Range: bytes=a-b</c> / <c>bytes=a-</c> answers 206 with <c>Content-Range</c>.</item>
/// <item><c>POST /soak/upload/{seed}</c>: checks the request body byte for byte against the pattern at
/// <c>seed</c> and answers <c>{"id","seed","received","match","sha256"}</c> (SHA-256 of what arrived).</item>
/// </list>
/// Both echo the request's <c>X-Soak-Id</c> header as a response header, so the caller sees that the answer is the
/// one to its own request.
/// </summary>
internal static class SoakEndpoints
{
    public const string IdHeader = "X-Soak-Id";

    private const int WriteSize = 64 * 1024;

    private static long _shortUploads;

    /// <summary>Uploads that ended (without an error from Kestrel) before their Content-Length: never answered OK.</summary>
    public static long ShortUploads => Interlocked.Read(ref _shortUploads);

    public static void Map(WebApplication app)
    {
        app.MapGet("/soak/{seed:long}/{length:long}", WriteAsync);
        app.MapPost("/soak/upload/{seed:long}", UploadAsync);
    }

    private static async Task WriteAsync(HttpContext context, long seed, long length)
    {
        if (seed < 0 || length < 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        context.Response.Headers[IdHeader] = context.Request.Headers[IdHeader].ToString();
        context.Response.Headers.AcceptRanges = "bytes";
        context.Response.ContentType = "application/octet-stream";
        long start = 0;
        var count = length;
        var range = context.Request.Headers.Range.ToString();
        if (range.Length > 0)
        {
            if (!TryParseRange(range, length, out start, out var end))
            {
                context.Response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                context.Response.Headers.ContentRange = $"bytes */{length}";
                return;
            }

            count = end - start + 1;
            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{end}/{length}");
        }

        context.Response.ContentLength = count;
        var body = context.Response.Body;
        for (long offset = 0; offset < count;)
        {
            var n = (int)Math.Min(WriteSize, count - offset);
            await body.WriteAsync(TestPattern.Slice(seed + start + offset, n), context.RequestAborted);
            offset += n;
        }
    }

    private static async Task UploadAsync(HttpContext context, long seed)
    {
        var id = context.Request.Headers[IdHeader].ToString();
        context.Response.Headers[IdHeader] = id;
        var declared = context.Request.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(WriteSize);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        var match = true;
        try
        {
            while (true)
            {
                var n = await context.Request.Body.ReadAsync(buffer.AsMemory(0, WriteSize), context.RequestAborted);
                if (n == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, n);
                match &= TestPattern.Matches(seed + received, buffer.AsSpan(0, n));
                received += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (declared is { } expected && expected != received)
        {
            Interlocked.Increment(ref _shortUploads);
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new UploadAnswer(id, seed, received, match, Convert.ToHexStringLower(hash.GetHashAndReset())));
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>
    /// One range <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> within a body of <paramref name="length"/>
    /// (RFC 9110 14.1.2: a last position past the end, or a suffix longer than the body, means up to the end).
    /// </summary>
    private static bool TryParseRange(string header, long length, out long start, out long end)
    {
        start = end = 0;
        if (length == 0
            || !RangeHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Unit, "bytes", StringComparison.OrdinalIgnoreCase)
            || value.Ranges.Count != 1)
        {
            return false;
        }

        var range = value.Ranges.Single();
        if (range.From is not { } from)
        {
            // Suffix: the last n bytes.
            if (range.To is not > 0)
            {
                return false;
            }

            start = Math.Max(0, length - range.To.Value);
            end = length - 1;
            return true;
        }

        if (from >= length || range.To < from)
        {
            return false;
        }

        start = from;
        end = Math.Min(range.To ?? (length - 1), length - 1);
        return true;
    }

    internal sealed record UploadAnswer(string Id, long Seed, long Received, bool Match, string Sha256);
}
