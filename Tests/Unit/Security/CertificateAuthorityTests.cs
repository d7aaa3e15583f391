using System.Net;
using System.Security.Cryptography.X509Certificates;
using OrleansDcos.Scheduling.Security;
using Xunit;

namespace OrleansDcos.Tests.Unit.Security;

/// <summary>The cluster CA: what it issues chains to it alone, names its addresses, and survives a PEM round trip.</summary>
[Trait("Area", "Security")]
public sealed class CertificateAuthorityTests
{
    [Fact]
    public void Issued_certificates_chain_to_their_ca_only_and_name_their_addresses()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("ca", now);
        using var other = CertificateAuthority.Create("other", now);
        using var silo = CertificateAuthority.Issue(ca, "silo-1", [IPAddress.Parse("127.0.0.2")], ["silo-1.local"], now);

        Assert.True(CertificateAuthority.IsSignedBy(silo, ca));
        Assert.False(CertificateAuthority.IsSignedBy(silo, other));
        Assert.False(CertificateAuthority.IsSignedBy(ca, other));
        var names = silo.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.Parse("127.0.0.2"), names.EnumerateIPAddresses());
        Assert.Contains("silo-1.local", names.EnumerateDnsNames());
        Assert.True(silo.MatchesHostname("127.0.0.2"));

        using var loaded = X509Certificate2.CreateFromPem(CertificateAuthority.CertificatePem(silo), CertificateAuthority.KeyPem(silo));
        Assert.True(loaded.HasPrivateKey);
        Assert.True(CertificateAuthority.IsSignedBy(loaded, X509Certificate2.CreateFromPem(CertificateAuthority.CertificatePem(ca))));
    }
}
