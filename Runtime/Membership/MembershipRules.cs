namespace OrleansDcos.Runtime.Membership;

/// <summary>What a suspicion should do to the table.</summary>
public enum SuspicionOutcome
{
    /// <summary>Nothing: the target is already dead or not a member.</summary>
    None,

    /// <summary>Record this vote (not enough yet).</summary>
    Vote,

    /// <summary>Enough votes: declare the target dead.</summary>
    DeclareDead,
}

/// <summary>Membership decisions as pure functions of a snapshot (Orleans' rules).</summary>
public static class MembershipRules
{
    /// <summary>
    /// <paramref name="voter"/> suspects <paramref name="target"/>: count the fresh votes of others plus this one;
    /// declare dead when they reach min(NumVotesForDeathDeclaration, ceil(active non-stale silos / 2)).
    /// Returns the outcome and the votes to store (expired ones dropped, the voter's own replaced).
    /// </summary>
    public static (SuspicionOutcome Outcome, IReadOnlyList<SuspectVote> Votes) Suspect(
        MembershipSnapshot snapshot, SiloAddress voter, SiloAddress target, DateTimeOffset now, MembershipOptions options)
    {
        var entry = snapshot.Find(target);
        if (entry is null || entry.Status == SiloStatus.Dead)
        {
            return (SuspicionOutcome.None, []);
        }

        var votes = entry.SuspectTimes
            .Where(v => v.Voter != voter && now - v.At < options.DeathVoteExpiration)
            .Append(new SuspectVote(voter, now))
            .ToArray();
        var activeNonStale = snapshot.Entries.Count(e => e.Status == SiloStatus.Active && now - e.IAmAliveTime < options.StaleAfter);
        var needed = Math.Max(1, Math.Min(options.NumVotesForDeathDeclaration, (activeNonStale + 1) / 2));
        return (votes.Length >= needed ? SuspicionOutcome.DeclareDead : SuspicionOutcome.Vote, votes);
    }

    /// <summary>The silos <paramref name="self"/> probes: its successors on the sorted ring of active silos.</summary>
    public static IReadOnlyList<SiloAddress> ProbeTargets(MembershipSnapshot snapshot, SiloAddress self, int count)
    {
        var ring = snapshot.ActiveSilos.Where(s => s != self).ToList();
        if (ring.Count == 0)
        {
            return [];
        }

        var start = ring.FindIndex(s => s.CompareTo(self) > 0);
        if (start < 0)
        {
            start = 0;
        }

        return Enumerable.Range(0, Math.Min(count, ring.Count)).Select(i => ring[(start + i) % ring.Count]).ToArray();
    }
}
