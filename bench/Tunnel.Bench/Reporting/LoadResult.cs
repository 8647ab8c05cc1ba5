namespace Tunnel.Bench.Reporting;

/// <summary>Small requests (1 KiB JSON) at one concurrency: closed loop, each worker sends its next request on an answer.</summary>
internal sealed record LoadResult(
    int Concurrency,
    double Seconds,
    long Requests,
    long Errors,
    double RequestsPerSecond,
    double P50Ms,
    double P99Ms,
    string? FirstError);
