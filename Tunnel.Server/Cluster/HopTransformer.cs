using Yarp.ReverseProxy.Forwarder;

namespace Tunnel.Server.Cluster;

/// <summary>
/// YARP's default request and response copy (hop-by-hop fields dropped, everything else as sent, Range included),
/// plus the hop's headers on the way out and <see cref="ClusterHop.ViaHeader"/> on the way back.
/// </summary>
internal sealed class HopTransformer(string secret, string targetNodeId) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Remove(ClusterHop.HopHeader);
        proxyRequest.Headers.Remove(ClusterHop.SecretHeader);
        proxyRequest.Headers.TryAddWithoutValidation(ClusterHop.HopHeader, "1");
        proxyRequest.Headers.TryAddWithoutValidation(ClusterHop.SecretHeader, secret);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is not null)
        {
            httpContext.Response.Headers[ClusterHop.ViaHeader] = targetNodeId;
        }

        return copy;
    }
}
