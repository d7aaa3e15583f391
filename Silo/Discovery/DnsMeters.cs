using System.Diagnostics.Metrics;

namespace OrleansDcos.Silo.Discovery;

/// <summary>The DNS server's meter: queries answered, by return code and question type.</summary>
internal static class DnsMeters
{
    private static readonly Meter Meter = new("OrleansDcos.Dns");

    /// <summary>Queries answered (<c>mesos_dns_queries_total{rcode, type}</c>).</summary>
    public static readonly Counter<long> Queries = Meter.CreateCounter<long>("mesos.dns.queries", "{query}", "DNS queries answered, by return code and question type");
}
