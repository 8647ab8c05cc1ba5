using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Tunnel.Bench.Origin;

namespace Tunnel.Bench.Soak;

/// <summary>
/// Sends one soak request and checks its answer: the expected status, the request's own id echoed back, the
/// <c>Content-Range</c> of a range, the length, and every body byte against <see cref="TestPattern"/> (uploads: the
/// origin's report of what it received). A visible failure (424, 502, 503, connection error, aborted body) is told
/// apart from a real error (anything else, including a short 2xx body and a hang).
/// </summary>
internal sealed class SoakResponseChecker(HttpClient client, Uri server)
{
    private const int ReadSize = 256 * 1024;

    public async Task<SoakOutcome> SendAsync(SoakRequest request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(request.Timeout);
        var token = timeout.Token;
        var progress = new BodyProgress();
        try
        {
            using var message = new HttpRequestMessage(request.Kind == SoakKind.Upload ? HttpMethod.Post : HttpMethod.Get, new Uri(server, request.PathAndQuery(SoakStack.ClientId)));
            message.Headers.TryAddWithoutValidation(SoakEndpoints.IdHeader, request.Id);
            if (request.Buffered)
            {
                message.Headers.TryAddWithoutValidation("X-Tunnel-Response", "buffered");
            }

            message.Headers.Range = request.Range;
            PatternContent? upload = null;
            if (request.Kind == SoakKind.Upload)
            {
                upload = new PatternContent(request.Seed, request.Length);
                message.Content = upload;
            }

            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
            if (await CheckHeadAsync(response, request, token) is { } wrong)
            {
                return wrong;
            }

            if (upload is not null)
            {
                return await CheckUploadAsync(response, request, upload, token);
            }

            progress.BodyStarted = true;
            return await CheckBodyAsync(response, request, progress, token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return SoakOutcome.Real("hang", $"no end within {request.Timeout.TotalSeconds:0} s ({(progress.BodyStarted ? $"body at {progress.Received} of {request.ExpectedBytes} bytes" : "no response headers")})");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            var what = progress.BodyStarted ? $"aborted body after {progress.Received} of {request.ExpectedBytes} bytes" : "no response";
            return SoakOutcome.Visible(progress.BodyStarted ? "aborted body" : "connection error", $"{what}: {Flatten(ex)}");
        }
    }

    /// <summary>Status, id, <c>Content-Range</c> and declared length; null when they are as expected.</summary>
    private static async Task<SoakOutcome?> CheckHeadAsync(HttpResponseMessage response, SoakRequest request, CancellationToken token)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode != request.ExpectedStatus)
        {
            var text = await SafeTextAsync(response, token);
            return status is 424 or 502 or 503
                ? SoakOutcome.Visible($"HTTP {status}", $"HTTP {status}: {text}")
                : SoakOutcome.Real(status == 500 ? "HTTP 500" : "unexpected status", $"HTTP {status} (expected {(int)request.ExpectedStatus}): {text}");
        }

        var echoed = response.Headers.TryGetValues(SoakEndpoints.IdHeader, out var ids) ? string.Join(",", ids) : "(none)";
        if (echoed != request.Id)
        {
            return SoakOutcome.Real("mix-up", $"answer carries {SoakEndpoints.IdHeader}: {echoed}");
        }

        if (request.ExpectedContentRange is { } expectedRange && !expectedRange.Equals(response.Content.Headers.ContentRange))
        {
            return SoakOutcome.Real("wrong range", $"Content-Range {response.Content.Headers.ContentRange?.ToString() ?? "(none)"}, expected {expectedRange}");
        }

        if (request.Kind == SoakKind.Upload)
        {
            return null;
        }

        if (response.Content.Headers.ContentLength is { } declared && declared != request.ExpectedBytes)
        {
            return SoakOutcome.Real("wrong length", $"Content-Length {declared}, expected {request.ExpectedBytes}");
        }

        if (request.Buffered && response.Content.Headers.ContentLength is null)
        {
            return SoakOutcome.Real("wrong length", "buffered answer without Content-Length");
        }

        return null;
    }

    /// <summary>Every byte against the pattern at the request's seed (plus the range's start), and the exact length.</summary>
    private static async Task<SoakOutcome> CheckBodyAsync(HttpResponseMessage response, SoakRequest request, BodyProgress progress, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(token);
            var expected = request.ExpectedBytes;
            var patternStart = request.Seed + request.RangeStart;
            while (true)
            {
                var n = await body.ReadAsync(buffer.AsMemory(0, ReadSize), token);
                if (n == 0)
                {
                    break;
                }

                var received = progress.Received;
                if (received + n > expected)
                {
                    return SoakOutcome.Real("long body", $"body longer than {expected} bytes");
                }

                if (!TestPattern.Matches(patternStart + received, buffer.AsSpan(0, n)))
                {
                    return SoakOutcome.Real("corrupted body", $"bytes differ from the pattern within [{received}, {received + n}) of {expected}");
                }

                progress.Received = received + n;
            }

            return progress.Received == expected
                ? SoakOutcome.Ok
                : SoakOutcome.Real("short 2xx body", $"HTTP {(int)response.StatusCode} body ended cleanly after {progress.Received} of {expected} bytes");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The origin's report of the upload: the request's own, every byte received and matching, same SHA-256.</summary>
    private static async Task<SoakOutcome> CheckUploadAsync(HttpResponseMessage response, SoakRequest request, PatternContent upload, CancellationToken token)
    {
        var text = await response.Content.ReadAsStringAsync(token);
        SoakEndpoints.UploadAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize<SoakEndpoints.UploadAnswer>(text);
        }
        catch (JsonException ex)
        {
            return SoakOutcome.Real("corrupted body", $"upload answer is not JSON ({ex.Message}): {Clip(text)}");
        }

        if (answer is null || answer.Id != request.Id || answer.Seed != request.Seed)
        {
            return SoakOutcome.Real("mix-up", $"upload answer for another request: {Clip(text)}");
        }

        if (answer.Received != request.Length || !answer.Match || answer.Sha256 != upload.Sha256)
        {
            return SoakOutcome.Real("corrupted upload", $"origin received {answer.Received} of {request.Length} bytes, match={answer.Match}, sha256 {answer.Sha256} vs sent {upload.Sha256}");
        }

        return SoakOutcome.Ok;
    }

    private static async Task<string> SafeTextAsync(HttpResponseMessage response, CancellationToken token)
    {
        try
        {
            return Clip(await response.Content.ReadAsStringAsync(token));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "(body aborted: " + ex.Message + ")";
        }
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static string Flatten(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            parts.Add(e.Message);
        }

        return string.Join(" → ", parts.Distinct());
    }

    /// <summary>How far the body got, for the report of a hang or an abort.</summary>
    private sealed class BodyProgress
    {
        public bool BodyStarted { get; set; }

        public long Received { get; set; }
    }
}
