using FsCheck;
using FsCheck.Fluent;
using OrleansDcos.Scheduling.Constraints;
using OrleansDcos.Scheduling.Placement;
using Xunit;
using static OrleansDcos.Tests.Unit.Scheduling.SchedulingFixtures;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Scheduling;

/// <summary>
/// Random clusters, apps with random constraints, placements and releases: every assignment is
/// re-checked by an oracle written from Marathon's rules, and no agent is ever over-committed.
/// </summary>
[Trait("Area", "Scheduling")]
public sealed class PlacementProperties
{
    private static readonly string[][][] ConstraintMenu =
    [
        [["hostname", "UNIQUE"]],
        [["rack", "MAX_PER", "2"]],
        [["@zone", "GROUP_BY"]],
        [["rack", "LIKE", "r[0-2]"]],
        [["rack", "UNLIKE", "r1"]],
        [["rack", "CLUSTER", "r0"]],
        [["@zone", "CLUSTER"]],
        [["hostname", "UNIQUE"], ["@zone", "GROUP_BY"]],
        [["rack", "MAX_PER", "3"], ["@zone", "GROUP_BY", "2"]],
        [],
    ];

    [Fact]
    public void Constraints_are_never_violated_and_agents_never_over_committed()
    {
        var scenarios =
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from agents in Gen.Choose(1, 40)
            from strategy in Gen.Elements(PlacementStrategy.Spread, PlacementStrategy.BinPack)
            from limit in Gen.Choose(1, 4)
            select (seed, agents, strategy, limit);
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(200),
            Prop.ForAll(scenarios.ToArbitrary(), s => Run(s.seed, s.agents, new PlacementOptions { Strategy = s.strategy, CandidateLimit = s.limit })));
    }

    private static void Run(int seed, int agentCount, PlacementOptions options)
    {
        var random = new Random(seed);
        var zones = random.Next(1, 5);
        var racks = random.Next(1, 6);
        var agents = new List<(AgentDescriptor Agent, Res Total)>();
        for (var i = 0; i < agentCount; i++)
        {
            var attributes = random.Next(6) == 0 ? string.Empty : $"rack:r{random.Next(racks)}";
            var agent = Agent(i, attributes, zone: $"z{random.Next(zones)}");
            agents.Add((agent, Res.Parse($"cpus:{random.Next(1, 9)};mem:{512 * random.Next(1, 17)};ports:[31000-{31000 + random.Next(0, 6)}]")));
        }

        var engine = new PlacementEngine(agents.Select(a => (a.Agent, a.Total)), new Random(seed), options);
        var byId = agents.ToDictionary(a => a.Agent.AgentId);
        var groups = Enumerable.Range(0, random.Next(1, 5)).Select(g => Request(
                $"/app{g}",
                $"cpus:{0.5 * random.Next(1, 5)};mem:{128 * random.Next(1, 9)}",
                ConstraintMenu[random.Next(ConstraintMenu.Length)]) with
        { PortCount = random.Next(0, 3) })
            .ToArray();
        var placed = groups.ToDictionary(g => g.GroupId, _ => new List<Assignment>());

        for (var step = 0; step < 30; step++)
        {
            var request = groups[random.Next(groups.Length)];
            var tasks = placed[request.GroupId];
            if (random.Next(4) == 0 && tasks.Count > 0)
            {
                var gone = tasks[random.Next(tasks.Count)];
                tasks.Remove(gone);
                engine.Release(request.GroupId, gone.AgentId, gone.Resources);
                continue;
            }

            var result = engine.Place(request, random.Next(1, 8));
            foreach (var assignment in result.Assignments)
            {
                var agent = byId[assignment.AgentId].Agent;
                foreach (var constraint in request.Constraints)
                {
                    Assert.True(
                        Allowed(constraint, agent, tasks.Select(t => byId[t.AgentId].Agent).ToList(), agents.Select(a => a.Agent)),
                        $"{constraint} violated by placing on {agent.AgentId} ({agent.Attributes}, zone {agent.Zone})");
                }

                Assert.True(assignment.Resources.Contains(request.Demand.Unreserved) && request.Demand.Equals(Res.From(assignment.Resources.Where(r => r.Name != "ports"))));
                Assert.Equal((ulong)request.PortCount, assignment.Resources.RangesOf("ports").Count);
                tasks.Add(assignment);
            }

            if (result.Unplaced > 0)
            {
                Assert.Equal(agentCount, result.Rejections.Total);
            }

            CheckNothingIsOverCommitted(engine, agents, placed.Values.SelectMany(t => t).ToList());
        }
    }

    /// <summary>Marathon's rule for one constraint, from the app's tasks placed so far.</summary>
    private static bool Allowed(Constraint constraint, AgentDescriptor agent, List<AgentDescriptor> tasksOn, IEnumerable<AgentDescriptor> allAgents)
    {
        var value = constraint.ValueOf(agent);
        var counts = tasksOn.Select(constraint.ValueOf).Where(v => v is not null).GroupBy(v => v!).ToDictionary(g => g.Key, g => g.Count());
        var count = value is null ? 0 : counts.GetValueOrDefault(value);
        switch (constraint.Operator)
        {
            case ConstraintOperator.Unique:
                return value is not null && count == 0;
            case ConstraintOperator.MaxPer:
                return value is not null && count < int.Parse(constraint.Value!);
            case ConstraintOperator.GroupBy:
                var known = allAgents.Select(constraint.ValueOf).Concat(counts.Keys).Where(v => v is not null).Distinct().ToList();
                var expected = constraint.Value is { } n && int.Parse(n) > known.Count ? 0 : known.Min(k => counts.GetValueOrDefault(k!));
                return value is not null && count == expected;
            case ConstraintOperator.Cluster when constraint.Value is null:
                return value is not null && (tasksOn.Count == 0 || count == counts.Values.Sum());
            default:
                return constraint.AcceptsValue(value);
        }
    }

    private static void CheckNothingIsOverCommitted(PlacementEngine engine, List<(AgentDescriptor Agent, Res Total)> agents, List<Assignment> tasks)
    {
        foreach (var (agent, total) in agents)
        {
            var mine = tasks.Where(t => t.AgentId == agent.AgentId).Select(t => t.Resources).ToList();
            var free = engine.AvailableOn(agent.AgentId);
            Assert.Equal(total, mine.Aggregate(free, (sum, r) => sum.Plus(r)));
            var ports = mine.Sum(r => (long)r.RangesOf("ports").Count) + (long)free.RangesOf("ports").Count;
            Assert.Equal((long)total.RangesOf("ports").Count, ports);
        }
    }
}
