using OrleansDcos.Runtime.Membership;
using OrleansDcos.Silo.Hosting;
using Xunit;

namespace OrleansDcos.Tests.Unit.Hosting;

[Trait("Area", "Silo")]
public sealed class ClusterLeaderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static MembershipEntry Entry(string host, int minutes, SiloStatus status = SiloStatus.Active) =>
        new(new SiloAddress(host, 8080, T0.AddMinutes(minutes).UtcTicks), status, host, T0.AddMinutes(minutes), T0);

    [Fact]
    public void The_leader_is_the_oldest_active_silo()
    {
        var entries = new[] { Entry("127.0.0.3", 2), Entry("127.0.0.2", 1), Entry("127.0.0.4", 3) };
        Assert.Equal("127.0.0.2", ClusterLeader.Elect(entries)!.Silo.Host);
    }

    [Fact]
    public void A_dead_or_joining_silo_is_never_the_leader_and_the_next_oldest_takes_over()
    {
        var entries = new[] { Entry("127.0.0.2", 1, SiloStatus.Dead), Entry("127.0.0.5", 0, SiloStatus.Joining), Entry("127.0.0.3", 2), Entry("127.0.0.4", 3) };
        Assert.Equal("127.0.0.3", ClusterLeader.Elect(entries)!.Silo.Host);
    }

    [Fact]
    public void A_newer_silo_never_takes_over_from_a_live_leader()
    {
        var before = new[] { Entry("127.0.0.3", 2), Entry("127.0.0.4", 3) };
        var after = before.Append(Entry("127.0.0.2", 10)).ToArray();
        Assert.Equal(ClusterLeader.Elect(before)!.Silo, ClusterLeader.Elect(after)!.Silo);
    }

    [Fact]
    public void No_active_silo_no_leader() => Assert.Null(ClusterLeader.Elect([Entry("127.0.0.2", 1, SiloStatus.ShuttingDown)]));
}
