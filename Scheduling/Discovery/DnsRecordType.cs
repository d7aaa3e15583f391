namespace OrleansDcos.Scheduling.Discovery;

/// <summary>The records discovery publishes (SOA and NS come from the zone).</summary>
public enum DnsRecordType
{
    /// <summary>An IPv4 address.</summary>
    A,

    /// <summary>A service: a target name and port.</summary>
    Srv,
}
