using System.Buffers;
using Microsoft.Extensions.Primitives;

namespace Tunnel.Server.Auth;

/// <summary>A clientId is 1–64 characters of ASCII letters, digits, '-', '_' and '.'.</summary>
internal static class ClientIdRules
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    public static bool IsValid(string? clientId) =>
        clientId is { Length: > 0 and <= MaxLength } && !clientId.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The one <c>clientId</c> query value when there is exactly one and it is valid; otherwise null.</summary>
    public static string? FromQuery(HttpRequest request) =>
        request.Query["clientId"] is { Count: 1 } values && IsValid(values[0]) ? values[0] : null;

    public const string Description = "clientId must be 1-64 characters of letters, digits, '-', '_' and '.'.";

    public const string GivenMoreThanOnce = "clientId must be given once; the query has it more than once.";

    /// <summary>What is wrong with the <c>clientId</c> query values: given more than once, or not a valid id.</summary>
    public static string Problem(StringValues values) => values.Count > 1 ? GivenMoreThanOnce : Description;
}
