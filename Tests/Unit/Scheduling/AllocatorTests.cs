using OrleansDcos.Scheduling.Allocation;
using OrleansDcos.Tests.Support;
using Xunit;
using static OrleansDcos.Tests.Unit.Scheduling.SchedulingFixtures;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Scheduling;

[Trait("Area", "Scheduling")]
public sealed class AllocatorTests
{
    private readonly ManualTimeProvider _time = new();

    private Allocator NewAllocator(int agents, string resources = "cpus:4;mem:4096;ports:[31000-31009]", AllocatorOptions? options = null)
    {
        var allocator = new Allocator(options ?? new AllocatorOptions(), _time, new Random(1));
        for (var i = 0; i < agents; i++)
        {
            allocator.AddAgent(Agent(i), Res.Parse(resources));
        }

        return allocator;
    }

    [Fact]
    public void An_agent_is_offered_whole_and_only_once()
    {
        var allocator = NewAllocator(1);
        allocator.AddFramework("fw", ["*"]);

        var offer = Assert.Single(allocator.Allocate());

        Assert.Equal("fw", offer.FrameworkId);
        Assert.Equal(Res.Parse("cpus:4;mem:4096;ports:[31000-31009]"), offer.Resources);
        Assert.Empty(allocator.Allocate());
        Assert.Equal(Res.Empty, allocator.DescribeAgent("agent-0").Free);
    }

    [Fact]
    public void A_declined_agent_is_not_offered_to_that_framework_until_the_filter_expires()
    {
        var allocator = NewAllocator(1);
        allocator.AddFramework("fw", ["*"]);
        allocator.Decline(Assert.Single(allocator.Allocate()).OfferId, TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Empty(allocator.Allocate());

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Single(allocator.Allocate());
    }

    [Fact]
    public void A_filtered_agent_still_goes_to_other_frameworks()
    {
        var allocator = NewAllocator(1);
        allocator.AddFramework("a", ["*"]);
        allocator.AddFramework("b", ["*"]);
        var first = Assert.Single(allocator.Allocate());
        allocator.Decline(first.OfferId, TimeSpan.FromMinutes(1));

        var second = Assert.Single(allocator.Allocate());

        Assert.NotEqual(first.FrameworkId, second.FrameworkId);
    }

    [Fact]
    public void Accepting_part_of_an_offer_keeps_the_part_used_and_frees_the_rest()
    {
        var allocator = NewAllocator(1);
        allocator.AddFramework("fw", ["*"]);
        var offer = Assert.Single(allocator.Allocate());

        allocator.Accept(offer.OfferId, Res.Parse("cpus:1;mem:512;ports:[31000-31000]"), refuse: TimeSpan.Zero);

        var agent = allocator.DescribeAgent("agent-0");
        Assert.Equal(Res.Parse("cpus:1;mem:512;ports:[31000-31000]"), agent.Used);
        Assert.Equal(Res.Parse("cpus:3;mem:3584;ports:[31001-31009]"), agent.Free);
        Assert.Equal(Res.Parse("cpus:3;mem:3584;ports:[31001-31009]"), Assert.Single(allocator.Allocate()).Resources);
    }

    [Fact]
    public void Accepting_more_than_offered_is_refused_and_changes_nothing()
    {
        var allocator = NewAllocator(1);
        allocator.AddFramework("fw", ["*"]);
        var offer = Assert.Single(allocator.Allocate());

        Assert.Throws<InvalidOperationException>(() => allocator.Accept(offer.OfferId, Res.Parse("cpus:5")));

        Assert.Single(allocator.Offers);
        Assert.Equal(offer.Resources, allocator.DescribeAgent("agent-0").Offered);
    }

    [Fact]
    public void An_answered_offer_cannot_be_answered_again()
    {
        var allocator = NewAllocator(1);
        allocator.AddFramework("fw", ["*"]);
        var offer = Assert.Single(allocator.Allocate());
        allocator.Decline(offer.OfferId);

        var ex = Assert.Throws<OfferNotFoundException>(() => allocator.Accept(offer.OfferId, Res.Parse("cpus:1")));
        Assert.Equal(offer.OfferId, ex.OfferId);
    }

    [Fact]
    public void A_suppressed_framework_gets_nothing_until_it_revives_which_also_clears_filters()
    {
        var allocator = NewAllocator(2);
        allocator.AddFramework("fw", ["*"]);
        foreach (var offer in allocator.Allocate())
        {
            allocator.Decline(offer.OfferId, TimeSpan.FromHours(1));
        }

        allocator.Suppress("fw");
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Empty(allocator.Allocate());

        allocator.Revive("fw");
        Assert.Equal(2, allocator.Allocate().Count);
    }

    [Fact]
    public void Roles_with_weights_one_and_three_get_dominant_shares_one_to_three()
    {
        var allocator = NewAllocator(400);
        allocator.AddFramework("light", ["a"]);
        allocator.AddFramework("heavy", ["b"]);
        allocator.SetWeight("b", 3);

        var offers = allocator.Allocate();

        Assert.Equal(400, offers.Count);
        Assert.Equal(100, offers.Count(o => o.FrameworkId == "light"));
        Assert.Equal(0.25, allocator.FrameworkShare("light"), 3);
        Assert.Equal(0.75, allocator.FrameworkShare("heavy"), 3);
    }

    [Fact]
    public void Frameworks_in_one_role_share_it_fairly()
    {
        var allocator = NewAllocator(90);
        foreach (var name in new[] { "x", "y", "z" })
        {
            allocator.AddFramework(name, ["web"]);
        }

        var offers = allocator.Allocate();

        Assert.All(offers.GroupBy(o => o.FrameworkId), g => Assert.Equal(30, g.Count()));
    }

    [Fact]
    public void Quota_guarantees_are_met_first_and_their_headroom_is_held_back()
    {
        var allocator = NewAllocator(10);
        allocator.AddFramework("bulk", ["bulk"]);
        allocator.AddFramework("critical", ["critical"]);
        allocator.SetWeight("bulk", 1000);
        allocator.SetQuota("critical", new RoleQuota(Res.Parse("cpus:8;mem:8192"), Res.Empty));
        allocator.Suppress("critical");

        var whileSuppressed = allocator.Allocate();
        Assert.Equal(32, whileSuppressed.Sum(o => o.Resources.ScalarTotal("cpus").ToDouble()));
        Assert.All(whileSuppressed, o => Assert.Equal("bulk", o.FrameworkId));

        allocator.Revive("critical");
        var afterRevive = allocator.Allocate();
        Assert.Equal(8, afterRevive.Where(o => o.FrameworkId == "critical").Sum(o => o.Resources.ScalarTotal("cpus").ToDouble()));
    }

    [Fact]
    public void A_quota_limit_caps_what_a_role_holds()
    {
        var allocator = NewAllocator(10);
        allocator.AddFramework("capped", ["capped"]);
        allocator.SetQuota("capped", new RoleQuota(Res.Empty, Res.Parse("cpus:6")));

        var offers = allocator.Allocate();

        Assert.Equal(6, offers.Sum(o => o.Resources.ScalarTotal("cpus").ToDouble()));
    }

    [Fact]
    public void Reserved_resources_go_only_to_their_role()
    {
        var allocator = new Allocator(new AllocatorOptions(), _time, new Random(1));
        allocator.AddAgent(Agent(1), Res.Parse("cpus:2;mem:1024;cpus(analytics):4;mem(analytics):4096"));
        allocator.AddFramework("web", ["web"]);
        allocator.AddFramework("spark", ["analytics"]);
        allocator.SetWeight("analytics", 0.001); // would lose every fair-share contest

        var offers = allocator.Allocate();

        // Both roles start at share 0, so either may win the unreserved part; the reserved part is spark's alone.
        Assert.True(offers.Single(o => o.FrameworkId == "spark").Resources.Contains(Res.Parse("cpus(analytics):4;mem(analytics):4096")));
        Assert.All(offers.Where(o => o.FrameworkId == "web"), o => Assert.Equal(o.Resources, o.Resources.Unreserved));
    }

    [Fact]
    public void Unanswered_offers_time_out_and_their_resources_come_back()
    {
        var allocator = NewAllocator(1, options: new AllocatorOptions { OfferTimeout = TimeSpan.FromSeconds(30) });
        allocator.AddFramework("fw", ["*"]);
        var offer = Assert.Single(allocator.Allocate());

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(allocator.ExpireOffers());
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(offer, Assert.Single(allocator.ExpireOffers()));
        Assert.Equal(Res.Parse("cpus:4;mem:4096;ports:[31000-31009]"), allocator.DescribeAgent("agent-0").Free);
    }

    [Fact]
    public void Removing_an_agent_rescinds_its_offers_and_shrinks_the_cluster()
    {
        var allocator = NewAllocator(2);
        allocator.AddFramework("fw", ["*"]);
        var offers = allocator.Allocate();

        var rescinded = allocator.RemoveAgent("agent-0");

        Assert.Equal(offers.Where(o => o.AgentId == "agent-0"), rescinded);
        Assert.Equal(1, allocator.AgentCount);
        Assert.Equal(1.0, allocator.FrameworkShare("fw"), 6);
    }

    [Fact]
    public void A_draining_agent_has_its_offers_rescinded_and_gets_no_new_ones()
    {
        var allocator = NewAllocator(1);
        allocator.AddFramework("fw", ["*"]);
        var offer = Assert.Single(allocator.Allocate());

        Assert.Equal(offer, Assert.Single(allocator.SetAgentActive("agent-0", false)));
        Assert.Empty(allocator.Allocate());

        allocator.SetAgentActive("agent-0", true);
        Assert.Single(allocator.Allocate());
    }

    [Fact]
    public void Recovered_resources_are_offered_again_and_over_recovery_is_refused()
    {
        var allocator = NewAllocator(1);
        allocator.AddFramework("fw", ["*"]);
        var offer = Assert.Single(allocator.Allocate());
        allocator.Accept(offer.OfferId, Res.Parse("cpus:1;mem:128"), TimeSpan.Zero);
        Assert.Single(allocator.Allocate());

        Assert.Throws<InvalidOperationException>(() => allocator.Recover("agent-0", "fw", "*", Res.Parse("cpus:2")));
        allocator.Recover("agent-0", "fw", "*", Res.Parse("cpus:1;mem:128"));

        Assert.Equal(Res.Empty, allocator.DescribeAgent("agent-0").Used);
        Assert.Equal(Res.Parse("cpus:1;mem:128"), allocator.DescribeAgent("agent-0").Free);
    }

    [Fact]
    public void Tasks_that_outlive_a_failover_count_again_when_their_framework_returns()
    {
        var allocator = new Allocator(new AllocatorOptions(), _time, new Random(1));
        allocator.AddAgent(Agent(1), Res.Parse("cpus:4;mem:4096"), [("fw", "*", Res.Parse("cpus:3;mem:1024"))]);
        allocator.AddFramework("fw", ["*"]);

        Assert.Equal(0.75, allocator.FrameworkShare("fw"), 6);
        Assert.Equal(Res.Parse("cpus:1;mem:3072"), Assert.Single(allocator.Allocate()).Resources);
    }
}
