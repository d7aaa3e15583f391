namespace OrleansDcos.Scheduling.Discovery;

/// <summary>
/// The domain discovery answers for and its SOA, with Mesos-DNS' defaults: domain <c>mesos</c>, TTL 60 s, primary
/// name server <c>ns1.mesos</c>, responsible mailbox <c>root.ns1.mesos</c>, refresh 60, retry 600, expire 86400,
/// minimum TTL 60.
/// </summary>
public sealed record DnsZone
{
    /// <summary>The domain, without a final dot (<c>mesos</c>).</summary>
    public string Domain { get; init; } = "mesos";

    /// <summary>The TTL of every answer, in seconds.</summary>
    public int Ttl { get; init; } = 60;

    /// <summary>The SOA's primary name server label, under the domain (<c>ns1</c>).</summary>
    public string NameServer { get; init; } = "ns1";

    /// <summary>The SOA's mailbox label, under the name server (<c>root</c>).</summary>
    public string Mailbox { get; init; } = "root";

    /// <summary>SOA refresh, seconds.</summary>
    public int Refresh { get; init; } = 60;

    /// <summary>SOA retry, seconds.</summary>
    public int Retry { get; init; } = 600;

    /// <summary>SOA expire, seconds.</summary>
    public int Expire { get; init; } = 86400;

    /// <summary>SOA minimum TTL (the TTL of a negative answer), seconds.</summary>
    public int MinimumTtl { get; init; } = 60;

    /// <summary>The domain as a fully qualified name, lower case (<c>mesos.</c>).</summary>
    public string Origin => Domain.Trim('.').ToLowerInvariant() + ".";

    /// <summary>The primary name server's fully qualified name (<c>ns1.mesos.</c>).</summary>
    public string NameServerName => NameServer + "." + Origin;

    /// <summary>The mailbox as a name (<c>root.ns1.mesos.</c>).</summary>
    public string MailboxName => Mailbox + "." + NameServerName;

    /// <summary><paramref name="relative"/> under the domain (<c>web.marathon</c> → <c>web.marathon.mesos.</c>).</summary>
    public string Name(string relative) => relative + "." + Origin;

    /// <summary>Whether <paramref name="name"/> (fully qualified, lower case) is the domain or a name in it.</summary>
    public bool Holds(string name) => name == Origin || name.EndsWith("." + Origin, StringComparison.Ordinal);

    /// <summary>What is wrong with these settings; empty when nothing is.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var labels = Domain.Trim('.').Split('.');
        if (labels.Any(l => l.Length == 0 || DnsLabel.Of(l) != l.ToLowerInvariant()))
        {
            problems.Add($"domain '{Domain}' must be dot-separated labels of letters, digits and '-'");
        }

        foreach (var (name, label) in new[] { ("name server", NameServer), ("mailbox", Mailbox) })
        {
            if (label.Length == 0 || DnsLabel.Of(label) != label.ToLowerInvariant())
            {
                problems.Add($"the {name} '{label}' must be one label of letters, digits and '-'");
            }
        }

        foreach (var (name, value) in new[] { ("TTL", Ttl), ("refresh", Refresh), ("retry", Retry), ("expire", Expire), ("minimum TTL", MinimumTtl) })
        {
            if (value < 0)
            {
                problems.Add($"the {name} ({value}) must not be negative");
            }
        }

        return problems;
    }
}
