namespace OrleansDcos.Scheduling.Discovery;

/// <summary>The question types discovery answers itself (others get an empty answer for a name that exists).</summary>
public enum DnsQuestionType
{
    /// <summary>A.</summary>
    A,

    /// <summary>SRV.</summary>
    Srv,

    /// <summary>SOA.</summary>
    Soa,

    /// <summary>NS.</summary>
    Ns,

    /// <summary>ANY: the A and SRV records.</summary>
    Any,

    /// <summary>Any other type (AAAA, TXT, PTR, …): no records of it are published.</summary>
    Other,
}
