using OrleansDcos.Scheduling.Placement;
using Xunit;
using static OrleansDcos.Tests.Unit.Scheduling.SchedulingFixtures;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Scheduling;

[Trait("Area", "Scheduling")]
public sealed class OfferMatchingTests
{
    [Fact]
    public void Groups_are_placed_oldest_first_and_a_later_one_gets_only_what_is_left_with_the_reason()
    {
        var agents = new[] { new OfferedAgent(Agent(0), Res.Parse("cpus:3;mem:1024")) };

        var matches = OfferMatching.Match(agents, [new QueuedLaunch(Request("/old"), 2), new QueuedLaunch(Request("/new"), 2)], [], new Random(1));

        Assert.Equal(["/old", "/new"], matches.Select(m => m.GroupId));
        Assert.Equal(2, matches[0].Placement.Assignments.Count);
        Assert.Null(matches[0].Problem);
        Assert.Single(matches[1].Placement.Assignments);
        Assert.StartsWith("1 of 2 instance(s) could not be placed on 1 offered agent(s): ", matches[1].Problem);
        Assert.Contains("cpus", matches[1].Problem);
    }

    [Fact]
    public void Tasks_a_group_already_runs_count_for_its_constraints()
    {
        var agents = new[] { new OfferedAgent(Agent(0), Res.Parse("cpus:4;mem:1024")), new OfferedAgent(Agent(1), Res.Parse("cpus:4;mem:1024")) };
        var unique = Request("/web", "cpus:1;mem:128", ["hostname", "UNIQUE"]);

        var matches = OfferMatching.Match(agents, [new QueuedLaunch(unique, 2)], [new PlacedTask("/web", Agent(0))], new Random(1));

        var match = Assert.Single(matches);
        Assert.Equal(["agent-1"], match.Placement.Assignments.Select(a => a.AgentId));
        Assert.Equal(1, match.Placement.Unplaced);
        Assert.Contains("UNIQUE", match.Problem);
    }

    [Fact]
    public void An_agent_offering_no_accepted_role_is_named_as_such()
    {
        var agents = new[] { new OfferedAgent(Agent(0), Res.Parse("cpus(other):4;mem(other):1024")) };

        var match = Assert.Single(OfferMatching.Match(agents, [new QueuedLaunch(Request("/web"), 1)], [], new Random(1)));

        Assert.Equal(1, match.Placement.Unplaced);
        Assert.NotNull(match.Problem);
    }

    [Fact]
    public void Nothing_queued_or_nothing_offered_matches_nothing_and_idle_offers_are_refused_longer()
    {
        Assert.Empty(OfferMatching.Match([new OfferedAgent(Agent(0), Res.Parse("cpus:1"))], [], [], new Random(1)));
        Assert.Empty(OfferMatching.Match([], [new QueuedLaunch(Request("/web"), 1)], [], new Random(1)));
        Assert.Equal(TimeSpan.FromSeconds(5), OfferMatching.RefuseFor(launchesWait: true, TimeSpan.FromSeconds(5)));
        Assert.Equal(OfferMatching.IdleRefusal, OfferMatching.RefuseFor(launchesWait: false, TimeSpan.FromSeconds(5)));
    }
}
