namespace OrleansDcos.Scheduling.Discovery;

/// <summary>
/// How a question on a name is answered from the records in force, as Mesos-DNS answers: names are case-insensitive;
/// several records of one name come in a random order (clients that take the first spread over the tasks); a name
/// in the domain with no records of the type asked gets an empty answer with the SOA (NODATA), an unknown name in the
/// domain NXDOMAIN with the SOA; the domain itself answers SOA and NS; SRV answers carry their targets' addresses.
/// </summary>
public static class DnsAnswers
{
    /// <summary>The answer to (<paramref name="name"/>, <paramref name="type"/>).</summary>
    public static DnsAnswer Answer(DnsRecordSet records, DnsZone zone, string name, DnsQuestionType type, Random random)
    {
        var qname = Normalize(name);
        if (!zone.Holds(qname))
        {
            return DnsAnswer.NotInZone;
        }

        if (qname == zone.Origin)
        {
            var nameServer = records.Lookup(zone.NameServerName, DnsRecordType.A);
            return type switch
            {
                DnsQuestionType.Soa => new(DnsAnswerKind.Answer, [], Soa: true, Ns: false, AuthoritySoa: false, nameServer),
                DnsQuestionType.Ns => new(DnsAnswerKind.Answer, [], Soa: false, Ns: true, AuthoritySoa: false, nameServer),
                DnsQuestionType.Any => new(DnsAnswerKind.Answer, [], Soa: true, Ns: true, AuthoritySoa: false, nameServer),
                _ => new(DnsAnswerKind.Answer, [], Soa: false, Ns: false, AuthoritySoa: true, []),
            };
        }

        if (!records.Exists(qname))
        {
            return new(DnsAnswerKind.NameError, [], false, false, AuthoritySoa: true, []);
        }

        var found = type switch
        {
            DnsQuestionType.A => records.Lookup(qname, DnsRecordType.A),
            DnsQuestionType.Srv => records.Lookup(qname, DnsRecordType.Srv),
            DnsQuestionType.Any => [.. records.Lookup(qname, DnsRecordType.A), .. records.Lookup(qname, DnsRecordType.Srv)],
            _ => [],
        };
        if (found.Count == 0)
        {
            return new(DnsAnswerKind.Answer, [], false, false, AuthoritySoa: true, []);
        }

        var shuffled = found.ToArray();
        random.Shuffle(shuffled);
        var additional = shuffled.Where(r => r.Type == DnsRecordType.Srv).Select(r => r.Host).Distinct(StringComparer.Ordinal)
            .SelectMany(target => records.Lookup(target, DnsRecordType.A)).ToList();
        return Fit(new(DnsAnswerKind.Answer, shuffled, false, false, AuthoritySoa: false, additional));
    }

    /// <summary>The largest DNS message (TCP's two-byte length), less room for the header, question, SOA and EDNS.</summary>
    public const int MaxMessageRecordBytes = 65_535 - 1_024;

    /// <summary>
    /// <paramref name="answer"/> cut to records whose wire size (uncompressed, so an upper bound) fits
    /// <paramref name="maxBytes"/>: first the additional records go, then answer records from the end (they are
    /// shuffled, so a random subset stays), marked <see cref="DnsAnswer.Truncated"/>. A name held by thousands of tasks
    /// still gets an answer — of as many of them as a message holds — rather than a server failure.
    /// </summary>
    public static DnsAnswer Fit(DnsAnswer answer, int maxBytes = MaxMessageRecordBytes)
    {
        var records = answer.Records.Sum(WireSize);
        if (records + answer.Additional.Sum(WireSize) <= maxBytes)
        {
            return answer;
        }

        if (records <= maxBytes)
        {
            return answer with { Additional = [], Truncated = true };
        }

        var kept = new List<DnsRecord>();
        var size = 0;
        foreach (var record in answer.Records)
        {
            size += WireSize(record);
            if (size > maxBytes)
            {
                break;
            }

            kept.Add(record);
        }

        return answer with { Records = kept, Additional = [], Truncated = true };
    }

    /// <summary>A record's size on the wire without name compression: owner, type/class/TTL/length, data.</summary>
    public static int WireSize(DnsRecord record) =>
        NameSize(record.Name) + 10 + (record.Type == DnsRecordType.Srv ? 6 + NameSize(record.Host) : 4);

    private static int NameSize(string name) => name.TrimEnd('.').Length + 2;

    /// <summary>A name as the records hold it: lower case, with its final dot.</summary>
    public static string Normalize(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.EndsWith('.') ? lower : lower + ".";
    }
}
