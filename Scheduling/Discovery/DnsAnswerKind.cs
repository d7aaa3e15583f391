namespace OrleansDcos.Scheduling.Discovery;

/// <summary>How a question is answered.</summary>
public enum DnsAnswerKind
{
    /// <summary>Records for the name (the answer section may still be empty: the name exists, not with that type).</summary>
    Answer,

    /// <summary>The name is in the domain and does not exist (NXDOMAIN, with the SOA).</summary>
    NameError,

    /// <summary>The name is outside the domain: forwarded to a resolver, or refused.</summary>
    NotInZone,
}
