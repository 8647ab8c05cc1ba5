using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Cluster;

/// <summary>
/// The node-to-node hop's headers and their check. A hop carries the cluster's secret and a hop counter; a request
/// that carries either without the right secret is refused, and a hop is never forwarded again (one hop at most).
/// Both headers start with <c>X-Tunnel-</c>, so they never reach a home server (Forwarding/HeaderFilter).
/// </summary>
internal sealed class ClusterHop(IOptions<ClusterOptions> options)
{
    /// <summary>How many node-to-node hops the request has made; only "1" is ever valid.</summary>
    public const string HopHeader = "X-Tunnel-Hop";

    /// <summary>The cluster's shared secret (<c>Tunnel:Cluster:Secret</c>).</summary>
    public const string SecretHeader = "X-Tunnel-Cluster-Secret";

    /// <summary>On a response that crossed nodes: the node that holds the agent connection that served it.</summary>
    public const string ViaHeader = "X-Tunnel-Via";

    public const int MaxHops = 1;

    private readonly byte[]? _secretHash = options.Value.Secret is { Length: > 0 } secret ? Hash(secret) : null;

    public string? Secret => options.Value.Secret;

    public (HopVerdict Verdict, string? Reason) Inspect(HttpRequest request)
    {
        var hops = request.Headers[HopHeader];
        var secrets = request.Headers[SecretHeader];
        if (hops.Count == 0 && secrets.Count == 0)
        {
            return (HopVerdict.Public, null);
        }

        if (_secretHash is null || !options.Value.Enabled)
        {
            return (HopVerdict.Refused, "this node takes no hops (Tunnel:Cluster:InternalUrl is unset)");
        }

        // Compared in constant time, as hashes of equal length, so neither content nor length leaks.
        if (secrets.Count != 1 || !CryptographicOperations.FixedTimeEquals(Hash(secrets[0] ?? ""), _secretHash))
        {
            return (HopVerdict.Refused, "the cluster secret is missing or wrong");
        }

        if (hops.Count != 1 || !int.TryParse(hops[0], out var count) || count is < 1 or > MaxHops)
        {
            return (HopVerdict.Refused, $"a request crosses at most {MaxHops} node");
        }

        return (HopVerdict.Hop, null);
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
