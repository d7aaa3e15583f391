using System.Net;
using Orleans.Runtime;
using OrleansDcos.Silo.Hosting;
using Xunit;

namespace OrleansDcos.Tests.Unit.Hosting;

[Trait("Area", "Silo")]
public sealed class ClusterLeaderTests
{
    /// <summary>A member started <paramref name="minutes"/> after a fixed instant (its generation is its start, in seconds).</summary>
    private static ClusterMember Member(string host, int minutes, SiloStatus status = SiloStatus.Active) =>
        new(SiloAddress.New(IPAddress.Parse(host), 11111, 150_000_000 + minutes * 60), status, $"{host}:8080");

    [Fact]
    public void The_leader_is_the_oldest_active_silo_and_is_told_by_its_api_address()
    {
        var members = new[] { Member("127.0.0.3", 2), Member("127.0.0.2", 1), Member("127.0.0.4", 3) };
        var leader = ClusterLeader.Elect(members)!;
        Assert.Equal("127.0.0.2:8080", leader.Name);
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(150_000_060), ClusterLeader.StartTime(leader));
    }

    [Fact]
    public void A_dead_or_joining_silo_is_never_the_leader_and_the_next_oldest_takes_over()
    {
        var members = new[] { Member("127.0.0.2", 1, SiloStatus.Dead), Member("127.0.0.5", 0, SiloStatus.Joining), Member("127.0.0.3", 2), Member("127.0.0.4", 3) };
        Assert.Equal("127.0.0.3:8080", ClusterLeader.Elect(members)!.Name);
    }

    [Fact]
    public void A_newer_silo_never_takes_over_from_a_live_leader()
    {
        var before = new[] { Member("127.0.0.3", 2), Member("127.0.0.4", 3) };
        var after = before.Append(Member("127.0.0.2", 10)).ToArray();
        Assert.Equal(ClusterLeader.Elect(before)!.SiloAddress, ClusterLeader.Elect(after)!.SiloAddress);
    }

    [Fact]
    public void No_active_silo_no_leader() => Assert.Null(ClusterLeader.Elect([Member("127.0.0.2", 1, SiloStatus.ShuttingDown)]));
}
