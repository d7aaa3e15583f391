namespace OrleansDcos.Scheduling.Discovery;

/// <summary>
/// The answer to one question: its kind, the records for the answer section (A and SRV, shuffled), whether the SOA
/// or NS of the zone answer it, whether the SOA goes in the authority section (NXDOMAIN, or no record of the type),
/// and the A records of the SRV targets for the additional section.
/// </summary>
/// <param name="Kind">Answered, NXDOMAIN, or not in the zone.</param>
/// <param name="Records">A and SRV records answering.</param>
/// <param name="Soa">The zone's SOA answers (question SOA on the domain).</param>
/// <param name="Ns">The zone's NS answers (question NS on the domain).</param>
/// <param name="AuthoritySoa">The zone's SOA goes in the authority section.</param>
/// <param name="Additional">A records of the SRV targets (and of the name server for SOA/NS).</param>
/// <param name="Truncated">Records were left out to fit a DNS message (<see cref="DnsAnswers.Fit"/>).</param>
public sealed record DnsAnswer(
    DnsAnswerKind Kind,
    IReadOnlyList<DnsRecord> Records,
    bool Soa,
    bool Ns,
    bool AuthoritySoa,
    IReadOnlyList<DnsRecord> Additional,
    bool Truncated = false)
{
    /// <summary>Outside the zone.</summary>
    public static readonly DnsAnswer NotInZone = new(DnsAnswerKind.NotInZone, [], false, false, false, []);
}
