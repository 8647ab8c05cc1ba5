using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>Makes each kind of <see cref="BadCredential"/> for real, against a running server.</summary>
internal static class BadCredentials
{
    public static readonly TimeSpan PastSignatureLifetime = TimeSpan.FromDays(14) + TimeSpan.FromSeconds(1);

    /// <summary>A client id and an <c>Authorization</c> value that must be refused as a client access token.</summary>
    public static async Task<(string ClientId, string? Authorization)> BearerAsync(BadCredential kind, AuthStackFixture fixture)
    {
        var stack = fixture.Stack;
        switch (kind)
        {
            case BadCredential.Missing:
                return (stack.ClientId, null);
            case BadCredential.Malformed:
                return (stack.ClientId, "Bearer not a token");
            case BadCredential.Expired:
                return (stack.ClientId, "Bearer " + await AuthApi.AddExpiredAccessTokenAsync(stack.Server, stack.ClientId, fixture.Clock.GetUtcNow()));
            case BadCredential.OtherClients:
                return (stack.ClientId, "Bearer " + await stack.Server.RegisterClientAsync("other-" + Guid.NewGuid().ToString("N")[..8]));
            default:
                var revoked = "revoked-" + Guid.NewGuid().ToString("N")[..8];
                var token = await stack.Server.RegisterClientAsync(revoked);
                await AuthApi.RevokeClientAsync(stack.Server, revoked);
                return (revoked, "Bearer " + token);
        }
    }

    /// <summary>A client id and a <c>signature</c> value (null: none) that must be refused.</summary>
    public static async Task<(string ClientId, string? Signature)> SignatureAsync(BadCredential kind, AuthStackFixture fixture)
    {
        var stack = fixture.Stack;
        switch (kind)
        {
            case BadCredential.Missing:
                return (stack.ClientId, null);
            case BadCredential.Malformed:
                return (stack.ClientId, "short");
            case BadCredential.Expired:
                var expiring = await AuthApi.CreateSignatureAsync(stack.Server, stack.ClientId, stack.Token);
                fixture.Clock.Advance(PastSignatureLifetime);
                return (stack.ClientId, expiring);
            case BadCredential.OtherClients:
                var other = "other-" + Guid.NewGuid().ToString("N")[..8];
                return (stack.ClientId, await AuthApi.CreateSignatureAsync(stack.Server, other, await stack.Server.RegisterClientAsync(other)));
            default:
                // Revoked by the client itself (DELETE /auth/signature-token).
                var revoked = await AuthApi.CreateSignatureAsync(stack.Server, stack.ClientId, stack.Token);
                using (var response = await AuthApi.SendAsBearerAsync(stack.Server, HttpMethod.Delete, $"/auth/signature-token?clientId={stack.ClientId}", stack.Token))
                {
                    response.StatusCode.Should().Be(System.Net.HttpStatusCode.NoContent);
                }

                return (stack.ClientId, revoked);
        }
    }

    public static string WithSignature(string url, string? signature) =>
        signature is null ? url : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "signature=" + Uri.EscapeDataString(signature);
}
