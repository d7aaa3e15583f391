using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using OrleansDcos.Scheduling.Discovery;
using DnsRecordType = OrleansDcos.Scheduling.Discovery.DnsRecordType;

namespace OrleansDcos.Silo.Discovery;

/// <summary>
/// A DNS query message answered from the directory (ARSoft.Tools.Net's message types; the wire format is theirs):
/// one question per query (else FORMERR), QUERY only (else NOTIMP), names in the domain answered authoritatively,
/// others handed to <c>forward</c> (null: REFUSED).
/// </summary>
public static class DnsResponses
{
    /// <summary>The response to <paramref name="query"/>.</summary>
    public static async Task<DnsMessage> AnswerAsync(DnsMessage query, DiscoveryDirectory directory, Func<DnsQuestion, bool, Task<DnsMessage?>>? forward)
    {
        var response = query.CreateResponseInstance();
        if (query.OperationCode != OperationCode.Query)
        {
            response.ReturnCode = ReturnCode.NotImplemented;
            return response;
        }

        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }

        var question = query.Questions[0];
        var zone = directory.Zone;
        var answer = question.RecordClass is RecordClass.INet or RecordClass.Any
            ? directory.Answer(question.Name.ToString(), TypeOf(question.RecordType), Random.Shared)
            : DnsAnswer.NotInZone;
        if (answer.Kind == DnsAnswerKind.NotInZone)
        {
            if (forward is null || question.RecordClass is not (RecordClass.INet or RecordClass.Any) || await forward(question, query.IsRecursionDesired) is not { } forwarded)
            {
                response.ReturnCode = ReturnCode.Refused;
                return response;
            }

            response.ReturnCode = forwarded.ReturnCode;
            response.IsRecursionAllowed = true;
            response.AnswerRecords.AddRange(forwarded.AnswerRecords);
            response.AuthorityRecords.AddRange(forwarded.AuthorityRecords);
            response.AdditionalRecords.AddRange(forwarded.AdditionalRecords.Where(r => r.RecordType != RecordType.Opt));
            return response;
        }

        response.IsAuthoritiveAnswer = true;
        var origin = DomainName.Parse(zone.Origin);
        var soa = new SoaRecord(origin, zone.Ttl, DomainName.Parse(zone.NameServerName), DomainName.Parse(zone.MailboxName), directory.Serial,
            zone.Refresh, zone.Retry, zone.Expire, zone.MinimumTtl);
        if (answer.Kind == DnsAnswerKind.NameError)
        {
            response.ReturnCode = ReturnCode.NxDomain;
            response.AuthorityRecords.Add(soa);
            return response;
        }

        if (answer.Soa)
        {
            response.AnswerRecords.Add(soa);
        }

        if (answer.Ns)
        {
            response.AnswerRecords.Add(new NsRecord(origin, zone.Ttl, DomainName.Parse(zone.NameServerName)));
        }

        response.IsTruncated = answer.Truncated; // more records than a message holds: a random part of them
        response.AnswerRecords.AddRange(answer.Records.Select(r => Record(r, zone.Ttl)));
        response.AdditionalRecords.AddRange(answer.Additional.Select(r => Record(r, zone.Ttl)));
        if (answer.AuthoritySoa)
        {
            response.AuthorityRecords.Add(soa);
        }

        return response;
    }

    private static DnsQuestionType TypeOf(RecordType type) => type switch
    {
        RecordType.A => DnsQuestionType.A,
        RecordType.Srv => DnsQuestionType.Srv,
        RecordType.Soa => DnsQuestionType.Soa,
        RecordType.Ns => DnsQuestionType.Ns,
        RecordType.Any => DnsQuestionType.Any,
        _ => DnsQuestionType.Other,
    };

    private static DnsRecordBase Record(Scheduling.Discovery.DnsRecord record, int ttl) => record.Type switch
    {
        DnsRecordType.A => new ARecord(DomainName.Parse(record.Name), ttl, IPAddress.Parse(record.Host)),
        _ => new SrvRecord(DomainName.Parse(record.Name), ttl, 0, 0, (ushort)record.Port, DomainName.Parse(record.Host)),
    };
}
