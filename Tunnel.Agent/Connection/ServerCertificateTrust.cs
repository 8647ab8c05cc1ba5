using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;

namespace Tunnel.Agent.Connection;

/// <summary>
/// Validates the tunnel server's TLS certificate: the system's trust store always, plus the certificates of
/// <see cref="AgentOptions.TrustedCertificatePath"/> as extra roots (a private CA, or a self-signed server
/// certificate). The host name is always checked; validation is never switched off.
/// </summary>
internal sealed class ServerCertificateTrust
{
    private (string Path, X509Certificate2Collection Roots)? _loaded;

    /// <summary>
    /// Applies the extra roots of <paramref name="trustedCertificatePath"/>, if any, to the agent's WebSocket. The
    /// path comes with each connection: reloaded settings may change it (the file is read again when it does).
    /// </summary>
    public void Apply(ClientWebSocketOptions socket, string? trustedCertificatePath)
    {
        if (trustedCertificatePath is not { Length: > 0 } path)
        {
            return;
        }

        var loaded = _loaded;
        if (loaded?.Path != path)
        {
            loaded = (path, Load(path));
            _loaded = loaded;
        }

        var roots = loaded.Value.Roots;
        socket.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) => Validate(roots, certificate, chain, errors);
    }

    /// <summary>Every certificate in a PEM file (a bundle is fine) or the one in a DER file.</summary>
    public static X509Certificate2Collection Load(string path)
    {
        var certificates = new X509Certificate2Collection();
        if (File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            certificates.ImportFromPemFile(path);
        }
        else
        {
            certificates.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }

        return certificates;
    }

    private static bool Validate(X509Certificate2Collection roots, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A wrong host name or no certificate stays fatal; only an unknown root may be one of ours.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        // Private CAs seldom publish revocation lists; the pinned roots are the trust decision here.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
