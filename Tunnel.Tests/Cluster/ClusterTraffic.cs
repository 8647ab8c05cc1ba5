using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Cluster;

/// <summary>
/// The mixed requests of the cluster load test: streamed and buffered downloads, Range and uploads, 0 B – 8 MiB,
/// for several clients whose origins serve different bytes, each checked by SHA-256 against what it must be.
/// </summary>
internal sealed class ClusterTraffic(HttpClient http, IReadOnlyList<string> tokens, IReadOnlyList<int> seeds)
{
    public const long MaxSize = 8L * 1024 * 1024;

    private readonly long[] _sizes = SizePool(new Random(20261130));

    public static string ClientId(int index) => $"home-c{index}";

    public TrafficRequest Next(Random random, int id)
    {
        var kind = (TrafficKind)random.Next(4);
        var size = _sizes[random.Next(_sizes.Length)];
        if (kind == TrafficKind.Range)
        {
            size = Math.Max(size, 2);
            var from = random.NextInt64(size - 1);
            return new TrafficRequest(id, random.Next(tokens.Count), kind, size, from, 1 + random.NextInt64(size - from));
        }

        return new TrafficRequest(id, random.Next(tokens.Count), kind, size, 0, size);
    }

    public async Task<TrafficResult> SendAsync(TrafficRequest r, CancellationToken cancellationToken)
    {
        var clientId = ClientId(r.Client);
        using var request = r.Kind == TrafficKind.Upload
            ? new HttpRequestMessage(HttpMethod.Post, $"/upload?clientId={clientId}") { Content = new PatternContent(r.Size, seed: r.Id % 7) }
            : new HttpRequestMessage(HttpMethod.Get, $"/files/{r.Size}?clientId={clientId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[r.Client]);
        if (r.Kind == TrafficKind.Buffered)
        {
            request.Headers.Add("X-Tunnel-Response", "buffered");
        }
        else if (r.Kind == TrafficKind.Range)
        {
            request.Headers.Range = new RangeHeaderValue(r.From, r.From + r.Length - 1);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return TrafficResult.Failed(r, null, ex.GetType().Name + ": " + ex.Message);
        }

        using (response)
        {
            var via = response.Headers.TryGetValues("X-Tunnel-Via", out var values) ? values.Single() : null;
            var wantStatus = r.Kind == TrafficKind.Range ? HttpStatusCode.PartialContent : HttpStatusCode.OK;
            if (response.StatusCode != wantStatus)
            {
                // A visible failure (a problem answer), never mistaken for data.
                return (int)response.StatusCode is >= 200 and < 300
                    ? TrafficResult.Corrupted(r, via, $"status {(int)response.StatusCode}")
                    : TrafficResult.Failed(r, via, $"{(int)response.StatusCode} {await SafeReadAsync(response, cancellationToken)}");
            }

            UploadResult got;
            try
            {
                got = r.Kind == TrafficKind.Upload
                    ? (await response.Content.ReadFromJsonAsync<UploadResult>(cancellationToken))!
                    : await BodyHash.ReadAsync(response, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
            {
                return TrafficResult.Failed(r, via, "body broke: " + ex.Message);
            }

            var want = r.Kind == TrafficKind.Upload
                ? BodyHash.OfPattern(r.Size, r.Id % 7)
                : BodyHash.OfPattern(r.Length, seeds[r.Client], r.From);
            return got == want ? TrafficResult.Served(r, via) : TrafficResult.Corrupted(r, via, $"got {got}, want {want}");
        }
    }

    private static async Task<string> SafeReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return ex.Message;
        }
    }

    /// <summary>0 B to 8 MiB, skewed small (most traffic is small, a few bodies are large), both ends included.</summary>
    private static long[] SizePool(Random random) =>
        Enumerable.Range(0, 46).Select(_ => (long)Math.Pow(MaxSize + 1, Math.Pow(random.NextDouble(), 3)) - 1)
            .Append(0).Append(1).Append(MaxSize - 1).Append(MaxSize).ToArray();
}
