namespace OrleansDcos.Scheduling.Discovery;

/// <summary>One record: A (<paramref name="Host"/> an IPv4 address) or SRV (<paramref name="Host"/> a target name, with a port).</summary>
/// <param name="Name">The owner name, lower case, fully qualified with its final dot.</param>
/// <param name="Type">A or SRV.</param>
/// <param name="Host">The address (A) or the target name (SRV, fully qualified).</param>
/// <param name="Port">The SRV port; 0 for A.</param>
public readonly record struct DnsRecord(string Name, DnsRecordType Type, string Host, int Port = 0)
{
    /// <summary>An A record.</summary>
    public static DnsRecord A(string name, string address) => new(name, DnsRecordType.A, address);

    /// <summary>An SRV record.</summary>
    public static DnsRecord Srv(string name, string target, int port) => new(name, DnsRecordType.Srv, target, port);
}
