using OrleansDcos.Runtime.Membership;
using Xunit;

namespace OrleansDcos.Tests.Unit.Runtime;

[Trait("Area", "Runtime")]
public sealed class MembershipRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MembershipOptions Options = new();

    private static SiloAddress Silo(int i) => new($"127.0.0.{i}", 8080, 100 + i);

    private static MembershipSnapshot Cluster(int active, params SuspectVote[] votesOnSilo1) => new(7,
        Enumerable.Range(1, active).Select(i => new MembershipEntry(Silo(i), SiloStatus.Active, $"s{i}", Now, Now)
        {
            SuspectTimes = i == 1 ? votesOnSilo1 : [],
        }).ToArray());

    [Fact]
    public void One_vote_is_not_enough_in_a_cluster_of_five()
    {
        var (outcome, votes) = MembershipRules.Suspect(Cluster(5), Silo(2), Silo(1), Now, Options);

        Assert.Equal(SuspicionOutcome.Vote, outcome);
        Assert.Equal([new SuspectVote(Silo(2), Now)], votes);
    }

    [Fact]
    public void A_second_fresh_vote_declares_death()
    {
        var (outcome, votes) = MembershipRules.Suspect(Cluster(5, new SuspectVote(Silo(3), Now.AddSeconds(-5))), Silo(2), Silo(1), Now, Options);

        Assert.Equal(SuspicionOutcome.DeclareDead, outcome);
        Assert.Equal(2, votes.Count);
    }

    [Fact]
    public void Expired_votes_and_the_voters_own_old_vote_do_not_count_twice()
    {
        var snapshot = Cluster(5, new SuspectVote(Silo(3), Now.AddMinutes(-5)), new SuspectVote(Silo(2), Now.AddSeconds(-2)));

        var (outcome, votes) = MembershipRules.Suspect(snapshot, Silo(2), Silo(1), Now, Options);

        Assert.Equal(SuspicionOutcome.Vote, outcome);
        Assert.Equal([new SuspectVote(Silo(2), Now)], votes);
    }

    [Theory]
    [InlineData(1, SuspicionOutcome.DeclareDead)] // two active silos: votes needed = min(2, (2 + 1) / 2) = 1
    [InlineData(2, SuspicionOutcome.DeclareDead)] // three active, one stale: two count, so min(2, (2 + 1) / 2) = 1
    public void Small_clusters_need_fewer_votes(int othersActive, SuspicionOutcome expected)
    {
        var snapshot = Cluster(othersActive + 1);
        var withStale = othersActive == 2
            ? snapshot with { Entries = snapshot.Entries.Select(e => e.Silo == Silo(3) ? e with { IAmAliveTime = Now.AddMinutes(-1) } : e).ToArray() }
            : snapshot;

        Assert.Equal(expected, MembershipRules.Suspect(withStale, Silo(2), Silo(1), Now, Options).Outcome);
    }

    [Fact]
    public void A_dead_silo_gets_no_more_votes()
    {
        var snapshot = Cluster(3);
        snapshot = snapshot with { Entries = snapshot.Entries.Select(e => e.Silo == Silo(1) ? e with { Status = SiloStatus.Dead } : e).ToArray() };

        Assert.Equal(SuspicionOutcome.None, MembershipRules.Suspect(snapshot, Silo(2), Silo(1), Now, Options).Outcome);
    }

    [Fact]
    public void Each_silo_probes_its_successors_on_the_ring()
    {
        var snapshot = Cluster(5);

        Assert.Equal([Silo(4), Silo(5), Silo(1)], MembershipRules.ProbeTargets(snapshot, Silo(3), 3));
        Assert.Equal([Silo(1), Silo(2)], MembershipRules.ProbeTargets(snapshot, Silo(5), 2));
        Assert.Empty(MembershipRules.ProbeTargets(Cluster(1), Silo(1), 3));
    }

    [Fact]
    public void Silo_addresses_round_trip_and_order()
    {
        var address = SiloAddress.Parse("127.0.0.2:41000:638700000000000000");

        Assert.Equal(new SiloAddress("127.0.0.2", 41000, 638700000000000000), address);
        Assert.Equal("127.0.0.2:41000:638700000000000000", address.ToString());
        Assert.True(address.SameEndpoint(address with { Generation = 1 }));
        Assert.Throws<FormatException>(() => SiloAddress.Parse("127.0.0.2:41000"));
    }
}
