using Tunnel.Contracts.Messages;

namespace Tunnel.Agent.Origin;

/// <summary>
/// Tells the origin how the caller reached the tunnel, with the de-facto standard <c>X-Forwarded-*</c> fields (as
/// YARP and nginx send them), so that it can build public links itself: <c>X-Forwarded-Proto</c> and
/// <c>X-Forwarded-Host</c> replace any the caller sent, the caller's address is appended to <c>X-Forwarded-For</c>.
/// </summary>
internal static class ForwardedHeaders
{
    public const string ForwardedProto = "X-Forwarded-Proto";
    public const string ForwardedHost = "X-Forwarded-Host";
    public const string ForwardedFor = "X-Forwarded-For";

    public static void Apply(HttpRequestMessage message, ForwardRequest request)
    {
        if (request.PublicScheme is not { Length: > 0 } scheme || request.PublicHost is not { Length: > 0 } host)
        {
            // A server older than these fields: say nothing rather than something wrong.
            return;
        }

        message.Headers.Remove(ForwardedProto);
        message.Headers.TryAddWithoutValidation(ForwardedProto, scheme);
        message.Headers.Remove(ForwardedHost);
        message.Headers.TryAddWithoutValidation(ForwardedHost, host);
        if (request.CallerAddress is { Length: > 0 } caller)
        {
            var earlier = message.Headers.NonValidated.TryGetValues(ForwardedFor, out var values)
                ? string.Join(", ", values)
                : null;
            message.Headers.Remove(ForwardedFor);
            message.Headers.TryAddWithoutValidation(ForwardedFor, earlier is { Length: > 0 } ? earlier + ", " + caller : caller);
        }
    }
}
