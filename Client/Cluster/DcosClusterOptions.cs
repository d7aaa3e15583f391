using System.Net;

namespace OrleansDcos.Client.Cluster;

/// <summary>Where an Orleans client finds the cluster: PostgreSQL membership (a cluster) or gateways (the embedded silo).</summary>
public sealed class DcosClusterOptions
{
    /// <summary>The embedded silo's gateway: 127.0.0.1:30000.</summary>
    public static readonly IPEndPoint EmbeddedGateway = new(IPAddress.Loopback, 30000);

    /// <summary>The cluster's PostgreSQL database (membership lists the gateways). When null, <see cref="Gateways"/> are used.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Gateways to connect to when there is no database. Default: the embedded silo's.</summary>
    public IReadOnlyList<IPEndPoint> Gateways { get; set; } = [EmbeddedGateway];

    /// <summary>The cluster id (a silo's <c>Silo:ClusterId</c> in cluster mode). Default <c>dcos</c>; the embedded silo uses Orleans' default id.</summary>
    public string ClusterId { get; set; } = "dcos";

    /// <summary>The service id (a silo's <c>Silo:ServiceId</c> in cluster mode). Default <c>dcos</c>.</summary>
    public string ServiceId { get; set; } = "dcos";

    /// <summary>
    /// The client's certificate (with its key) for a cluster with TLS on (<c>Security:Tls</c>): issued by the cluster CA
    /// (<c>dcos tls issue</c>); silos take no client without one. Null: plain connections.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

    /// <summary>The cluster CA's certificate: the silos' certificates must chain to it (and only to it). Required with <see cref="Certificate"/>.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TrustedCa { get; set; }
}
