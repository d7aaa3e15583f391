using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// A small cluster CA for a test or small cluster: a self-signed CA certificate (ECDSA P-256, 10 years) that issues silo
/// and agent certificates (1 year) for server and client authentication, with the names and IP addresses they are
/// reached on. Certificates and keys are exported as PEM.
/// </summary>
public static class CertificateAuthority
{
    /// <summary>A new CA certificate with its private key.</summary>
    public static X509Certificate2 Create(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Escape(name)}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
    }

    /// <summary>A certificate for <paramref name="name"/> reached at <paramref name="addresses"/> and <paramref name="hosts"/>, signed by <paramref name="ca"/>, with its private key.</summary>
    public static X509Certificate2 Issue(X509Certificate2 ca, string name, IEnumerable<IPAddress> addresses, IEnumerable<string> hosts, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Escape(name)}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        foreach (var host in hosts.Append(name).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var until = now.AddYears(1) < ca.NotAfter ? now.AddYears(1) : new DateTimeOffset(ca.NotAfter);
        using var issued = request.Create(ca, now.AddMinutes(-5), until, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The certificate in PEM.</summary>
    public static string CertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    /// <summary>The certificate's private key in PEM (PKCS#8).</summary>
    public static string KeyPem(X509Certificate2 certificate) =>
        (certificate.GetECDsaPrivateKey() as AsymmetricAlgorithm ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("the certificate has no private key", nameof(certificate))).ExportPkcs8PrivateKeyPem();

    /// <summary>
    /// True when <paramref name="certificate"/> chains to <paramref name="ca"/> (and only to it: the system's roots are not
    /// trusted) and is valid now.
    /// </summary>
    public static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(ca.RawData);
    }

    /// <summary>
    /// A client's check of a server's certificate against the cluster CA (a TLS validation callback's answer): the
    /// certificate names the address dialled (no error but the chain's) and chains to <paramref name="ca"/> alone.
    /// </summary>
    public static bool AcceptsServer(X509Certificate? certificate, System.Net.Security.SslPolicyErrors errors, X509Certificate2 ca) =>
        certificate is not null
        && (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == System.Net.Security.SslPolicyErrors.None
        && IsSignedBy(certificate as X509Certificate2 ?? new X509Certificate2(certificate), ca);

    private static string Escape(string name) => name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);
}
