using System.Security.Cryptography.X509Certificates;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// The silo's TLS material (section <c>Security:Tls</c>): its certificate and key (PEM) and the cluster CA's
/// certificate. With them the APIs and agent links are served over HTTPS only, and silos and Orleans clients talk TLS,
/// each side presenting a certificate the cluster CA signed (<c>dcos tls init</c> / <c>dcos tls issue</c> make them).
/// </summary>
public sealed class TlsSettings
{
    /// <summary>The silo's certificate (PEM).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Its private key (PEM).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The cluster CA's certificate (PEM): the only issuer trusted for silos, clients and agents' links.</summary>
    public string? CaFile { get; set; }

    /// <summary>True when any of the three is given.</summary>
    public bool Configured => CertificateFile is not null || KeyFile is not null || CaFile is not null;

    /// <summary>What is wrong with the settings (all three or none; files that read).</summary>
    public IReadOnlyList<string> Problems()
    {
        if (!Configured)
        {
            return [];
        }

        if (CertificateFile is null || KeyFile is null || CaFile is null)
        {
            return ["Security:Tls needs CertificateFile, KeyFile and CaFile together"];
        }

        try
        {
            _ = Load();
            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return [$"Security:Tls: the certificate, key or CA could not be read: {ex.Message}"];
        }
    }

    /// <summary>The certificate with its key, and the CA.</summary>
    public (X509Certificate2 Certificate, X509Certificate2 Ca) Load()
    {
        var certificate = X509Certificate2.CreateFromPemFile(CertificateFile!, KeyFile);
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaFile!));
        return (certificate, ca);
    }
}
