using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A throwaway CA and a server certificate it signed for 127.0.0.1 and localhost, written as PEM files for Kestrel's
/// configuration (<c>Kestrel:Certificates:Default:Path</c>/<c>KeyPath</c>) and the agent's
/// <c>Agent:TrustedCertificatePath</c>.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(X509Certificate2 authority, string folder)
    {
        Authority = authority;
        AuthorityPath = Path.Combine(folder, "ca.pem");
        ServerCertificatePath = Path.Combine(folder, "server.pem");
        ServerKeyPath = Path.Combine(folder, "server.key");
    }

    public X509Certificate2 Authority { get; }

    public string AuthorityPath { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    /// <summary>A CA and a server certificate it signed; or, <paramref name="selfSigned"/>, a lone self-signed server
    /// certificate that is its own authority (as a home lab might use).</summary>
    public static TestCertificates Create(bool selfSigned = false)
    {
        var folder = Directory.CreateTempSubdirectory("tunnel-tls-").FullName;
        var now = DateTimeOffset.UtcNow;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Tunnel Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        if (!selfSigned)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        }

        using var server = selfSigned
            ? request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1))
            : request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        var authority = selfSigned ? server : ca;
        var certificates = new TestCertificates(X509CertificateLoader.LoadCertificate(authority.RawData), folder);
        File.WriteAllText(certificates.AuthorityPath, authority.ExportCertificatePem());
        File.WriteAllText(certificates.ServerCertificatePath, server.ExportCertificatePem());
        File.WriteAllText(certificates.ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return certificates;
    }

    /// <summary>Server settings for Kestrel serving HTTPS with the server certificate on 127.0.0.1.</summary>
    public Dictionary<string, string> KestrelSettings() => new()
    {
        ["Kestrel:Certificates:Default:Path"] = ServerCertificatePath,
        ["Kestrel:Certificates:Default:KeyPath"] = ServerKeyPath,
    };

    /// <summary>A test client's check: the usual validation, with this CA as the only root.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(Authority);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
