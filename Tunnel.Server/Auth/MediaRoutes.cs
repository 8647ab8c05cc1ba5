using System.Buffers;

namespace Tunnel.Server.Auth;

/// <summary>
/// The three routes a signature token opens, as the original: <c>/files/track</c>,
/// <c>/files/albums/{albumId}/{size}</c> and <c>/files/artists/{artistId}/{size}</c>, with GET, HEAD or OPTIONS.
/// </summary>
/// <remarks>
/// Matched against the target that will be forwarded, not the decoded path: a home server must never receive a
/// signature-authorised request for anything else. So ids and sizes are plain characters only (no '%', no dot
/// segments) and <c>/files/albums/1/..%2F..%2Fsettings</c> does not count as a media route.
/// </remarks>
internal static class MediaRoutes
{
    private static readonly SearchValues<char> SegmentChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>Whether <paramref name="method"/> on <paramref name="target"/> (path and query as forwarded) is a media route.</summary>
    public static bool Matches(string method, string target)
    {
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method))
        {
            return false;
        }

        var span = target.AsSpan();
        var query = span.IndexOf('?');
        return IsMediaPath(query < 0 ? span : span[..query]);
    }

    public static bool IsMediaPath(ReadOnlySpan<char> path)
    {
        if (path.SequenceEqual("/files/track"))
        {
            return true;
        }

        ReadOnlySpan<char> rest;
        if (path.StartsWith("/files/albums/", StringComparison.Ordinal))
        {
            rest = path["/files/albums/".Length..];
        }
        else if (path.StartsWith("/files/artists/", StringComparison.Ordinal))
        {
            rest = path["/files/artists/".Length..];
        }
        else
        {
            return false;
        }

        var slash = rest.IndexOf('/');
        return slash > 0 && IsPlainSegment(rest[..slash]) && IsPlainSegment(rest[(slash + 1)..]);
    }

    private static bool IsPlainSegment(ReadOnlySpan<char> segment) =>
        segment.Length is > 0 and <= 128
        && !segment.ContainsAnyExcept(SegmentChars)
        && segment.ContainsAnyExcept('.');
}
