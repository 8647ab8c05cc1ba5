using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Auth;

/// <summary>
/// Limits failed authentication attempts per remote address, so tokens cannot be guessed at speed. Every
/// authenticating route asks <see cref="RetryAfter"/> before it checks a credential and calls
/// <see cref="RecordFailure"/> when a presented credential was wrong. A token bucket per address holds
/// <see cref="AuthOptions.FailedAttemptsPerMinute"/> failures and refills at that rate, so after a burst one more
/// attempt is allowed every 60/N seconds. IPv6 addresses are grouped by /64, the block one subscriber gets.
/// </summary>
internal sealed class FailedAuthLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _refillPeriod;

    public FailedAuthLimiter(IOptions<AuthOptions> options)
    {
        var perMinute = options.Value.FailedAttemptsPerMinute;
        _refillPeriod = TimeSpan.FromMinutes(1) / perMinute;
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = _refillPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket));
    }

    /// <summary>Null while the caller may try; otherwise how long it must wait (at most one refill period).</summary>
    public TimeSpan? RetryAfter(HttpContext context)
    {
        // Not AttemptAcquire(0): the bucket refills continuously, so it holds a fraction of a permit moments after
        // it was emptied and a zero-permit probe would succeed. Whole permits are what a failure takes.
        var available = _limiter.GetStatistics(PartitionKey(context))?.CurrentAvailablePermits ?? 1;
        return available >= 1 ? null : _refillPeriod;
    }

    /// <summary>Charges one failed attempt to the caller's address.</summary>
    public void RecordFailure(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(PartitionKey(context), 1);
    }

    public static string PartitionKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }

    public void Dispose() => _limiter.Dispose();
}
