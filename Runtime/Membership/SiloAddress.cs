using System.Globalization;

namespace OrleansDcos.Runtime.Membership;

/// <summary>
/// A silo's identity: host, port and generation (its start time in ticks). A restarted silo on the
/// same host and port is a new member with a newer generation. Text form <c>host:port:generation</c>.
/// </summary>
public readonly record struct SiloAddress(string Host, int Port, long Generation) : IComparable<SiloAddress>
{
    /// <summary>The silo's HTTP endpoint (gateway and silo-to-silo traffic).</summary>
    public Uri Endpoint => new($"http://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Parses <c>host:port:generation</c>.</summary>
    public static SiloAddress Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            throw new FormatException($"'{text}' is not a silo address of the form host:port:generation");
        }

        return new SiloAddress(parts[0], port, generation);
    }

    /// <summary>True when <paramref name="other"/> is the same host and port (maybe another generation).</summary>
    public bool SameEndpoint(SiloAddress other) => Host == other.Host && Port == other.Port;

    /// <inheritdoc />
    public int CompareTo(SiloAddress other)
    {
        var byHost = string.CompareOrdinal(Host, other.Host);
        return byHost != 0 ? byHost : Port != other.Port ? Port.CompareTo(other.Port) : Generation.CompareTo(other.Generation);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}:{Generation}");
}

/// <summary>A member's status; numbered as Orleans does. <see cref="Dead"/> is final.</summary>
public enum SiloStatus
{
    /// <summary>No status.</summary>
    None = 0,

    /// <summary>Inserted, checking connectivity to the active silos.</summary>
    Joining = 2,

    /// <summary>A full member: serves, probes and is probed.</summary>
    Active = 3,

    /// <summary>Stopping gracefully.</summary>
    ShuttingDown = 4,

    /// <summary>Gone for good (declared by votes, by itself on shutdown, or by its newer generation).</summary>
    Dead = 6,
}

/// <summary>One row of the membership table.</summary>
public sealed record MembershipEntry(
    SiloAddress Silo,
    SiloStatus Status,
    string Name,
    DateTimeOffset StartTime,
    DateTimeOffset IAmAliveTime)
{
    /// <summary>Its activations at its last I-am-alive (for activation-count placement).</summary>
    public int ActivationCount { get; init; }

    /// <summary>Suspicion votes: who suspected this silo, and when.</summary>
    public IReadOnlyList<SuspectVote> SuspectTimes { get; init; } = [];
}

/// <summary>A vote that a silo is dead.</summary>
public readonly record struct SuspectVote(SiloAddress Voter, DateTimeOffset At);

/// <summary>The whole table at one version. Immutable.</summary>
public sealed record MembershipSnapshot(long Version, IReadOnlyList<MembershipEntry> Entries)
{
    /// <summary>No members, version 0.</summary>
    public static readonly MembershipSnapshot Empty = new(0, []);

    /// <summary>The row of <paramref name="silo"/>, or null.</summary>
    public MembershipEntry? Find(SiloAddress silo) => Entries.FirstOrDefault(e => e.Silo == silo);

    /// <summary>Active members, sorted.</summary>
    public IReadOnlyList<SiloAddress> ActiveSilos => Entries.Where(e => e.Status == SiloStatus.Active).Select(e => e.Silo).Order().ToArray();
}
