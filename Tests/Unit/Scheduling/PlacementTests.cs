using OrleansDcos.Scheduling.Placement;
using Xunit;
using static OrleansDcos.Tests.Unit.Scheduling.SchedulingFixtures;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Scheduling;

[Trait("Area", "Scheduling")]
public sealed class PlacementTests
{
    [Fact]
    public void Assignments_carry_the_resources_taken_and_the_agent_keeps_the_rest()
    {
        var engine = Engine(Agents(1));

        var result = engine.Place(Request("/web", "cpus:1.5;mem:256") with { PortCount = 2 }, 1);

        var assignment = Assert.Single(result.Assignments);
        Assert.Equal(Res.Parse("cpus:1.5;mem:256;ports:[31000-31001]"), assignment.Resources);
        Assert.Equal(Res.Parse("cpus:2.5;mem:3840;disk:10000;ports:[31002-31009]"), engine.AvailableOn("agent-0"));
    }

    [Fact]
    public void Required_ports_are_taken_exactly_or_the_agent_is_rejected()
    {
        var engine = Engine(Agents(2));

        var result = engine.Place(Request("/web") with { RequiredPorts = [31005] }, 3);

        Assert.Equal(2, result.Assignments.Count);
        Assert.All(result.Assignments, a => Assert.Equal(Res.Parse("cpus:1;mem:128;ports:[31005-31005]"), a.Resources));
        Assert.Equal("required ports unavailable: 2 agents", result.Rejections.ToString());
    }

    [Fact]
    public void Asking_for_far_more_than_fits_costs_what_is_placed_not_what_is_asked()
    {
        var engine = Engine(Agents(2));
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var result = engine.Place(Request("/huge", "cpus:1;mem:128"), int.MaxValue);

        Assert.Equal(8, result.Assignments.Count); // 4 cpus on each of 2 agents
        Assert.Equal(int.MaxValue - 8L, result.Unplaced);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1024 * 1024, "placing 8 of int.MaxValue allocated more than 1 MiB");
    }

    [Fact]
    public void Rejections_count_each_agent_once_with_its_first_failing_reason()
    {
        var agents = Agents(1500, "cpus:1;mem:512");
        agents.AddRange(Agents(3, "cpus:8;mem:8192").Select((a, i) => (Agent(5000 + i), a.Item2)));
        var engine = Engine(agents);

        var result = engine.Place(Request("/big", "cpus:2;mem:1024", [["hostname", "UNIQUE"]]), 5);

        Assert.Equal(3, result.Assignments.Count);
        Assert.Equal("insufficient cpus: 1,500 agents; constraint UNIQUE hostname: 3 agents", result.Rejections.ToString());
    }

    [Fact]
    public void Spread_prefers_the_emptier_agent_and_bin_pack_the_fuller_one()
    {
        static List<(AgentDescriptor, Res)> TwoAgents() => [(Agent(1), Res.Parse("cpus:8;mem:8192")), (Agent(2), Res.Parse("cpus:8;mem:8192"))];

        var spread = Engine(TwoAgents(), options: new PlacementOptions { Strategy = PlacementStrategy.Spread });
        var packed = Engine(TwoAgents(), options: new PlacementOptions { Strategy = PlacementStrategy.BinPack });
        var spreadAgents = spread.Place(Request("/a"), 4).Assignments.Select(a => a.AgentId);
        var packedAgents = packed.Place(Request("/a"), 4).Assignments.Select(a => a.AgentId);

        Assert.Equal(2, spreadAgents.Distinct().Count());
        Assert.Single(packedAgents.Distinct());
    }

    [Fact]
    public void Spread_rotates_one_batch_over_every_agent()
    {
        // Small tasks barely change an agent's utilization: the batch must still reach every agent, evenly.
        var engine = Engine(Agents(6, "cpus:40;mem:40960"), options: new PlacementOptions { Strategy = PlacementStrategy.Spread });

        var result = engine.Place(Request("/web", "cpus:0.05;mem:16"), 12);

        Assert.Equal(12, result.Assignments.Count);
        var perAgent = result.Assignments.GroupBy(a => a.AgentId).Select(g => g.Count()).ToList();
        Assert.Equal(6, perAgent.Count);
        Assert.All(perAgent, count => Assert.Equal(2, count));
    }

    [Fact]
    public void Reserved_resources_of_an_accepted_role_are_used_before_unreserved_ones()
    {
        var engine = Engine([(Agent(1), Res.Parse("cpus:2;cpus(analytics):1;mem:1024;ports:[31000-31001];ports(analytics):[40000-40000]"))]);

        var result = engine.Place(Request("/job", "cpus:2;mem:128") with { AcceptedRoles = ["analytics", "*"], PortCount = 2 }, 1);

        Assert.Equal(
            Res.Parse("cpus(analytics):1;cpus:1;mem:128;ports(analytics):[40000-40000];ports:[31000-31000]"),
            Assert.Single(result.Assignments).Resources);
    }

    [Fact]
    public void Reserved_resources_are_invisible_to_requests_that_do_not_accept_the_role()
    {
        var engine = Engine([(Agent(1), Res.Parse("cpus(analytics):4;mem(analytics):4096"))]);

        var result = engine.Place(Request("/web"), 1);

        Assert.Equal(1, result.Unplaced);
        Assert.Equal("insufficient cpus: 1 agent", result.Rejections.ToString());
    }

    [Fact]
    public void Released_resources_can_be_placed_again()
    {
        var engine = Engine(Agents(1, "cpus:1;mem:128"));
        var first = Assert.Single(engine.Place(Request("/a"), 1).Assignments);
        Assert.Equal(1, engine.Place(Request("/a"), 1).Unplaced);

        engine.Release("/a", first.AgentId, first.Resources);

        Assert.Single(engine.Place(Request("/a"), 1).Assignments);
    }

    [Fact]
    public void Same_seed_same_placements()
    {
        var a = Engine(Agents(50), seed: 3).Place(Request("/x", constraints: [["@zone", "GROUP_BY"]]), 40);
        var b = Engine(Agents(50), seed: 3).Place(Request("/x", constraints: [["@zone", "GROUP_BY"]]), 40);

        Assert.Equal(a.Assignments, b.Assignments);
    }

    [Fact]
    public void A_demand_with_ports_inside_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TaskRequest("/x", Res.Parse("cpus:1;ports:[1-2]")));
        Assert.Contains("only scalar resources", ex.Message);
    }
}
