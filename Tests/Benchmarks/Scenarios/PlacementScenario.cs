using System.Diagnostics;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Constraints;
using OrleansDcos.Scheduling.Placement;
using Res = OrleansDcos.Scheduling.Resources.Resources;
using TaskRequest = OrleansDcos.Scheduling.Placement.TaskRequest;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// T3: 1,000,000 placements onto 10,000 agents in 10 zones: 100 apps of 10,000 instances, each with
/// UNIQUE hostname and GROUP_BY @zone, so every agent ends with exactly one task of every app.
/// Verifies the outcome (every task placed, constraints held) outside the timed part.
/// </summary>
internal sealed class PlacementScenario : IScenario
{
    public string Name => "placement";

    public string Description => "1M placements, UNIQUE hostname + GROUP_BY zone, 10k agents (target <= 5 s)";

    public Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var (agentCount, apps) = small ? (1_000, 100) : (10_000, 100);
        const int Zones = 10;
        var perApp = agentCount;
        var agents = Enumerable.Range(0, agentCount).Select(i => (
            new AgentDescriptor($"agent-{i}", $"host-{i}", AgentAttributes.Parse($"rack:r{i % 40}")) { Zone = $"zone-{i % Zones}" },
            Res.Parse($"cpus:{apps};mem:{apps * 1024};disk:100000;ports:[31000-32000]")));
        var engine = new PlacementEngine(agents, new Random(42));
        Constraint[] constraints = [Constraint.Create("hostname", "UNIQUE"), Constraint.Create("@zone", "GROUP_BY")];

        var placed = 0;
        var perZoneSpread = 0;
        var clock = Stopwatch.StartNew();
        for (var app = 0; app < apps; app++)
        {
            var request = new TaskRequest($"/app-{app}", Res.Parse("cpus:1;mem:1024")) { Constraints = constraints, PortCount = 1 };
            var result = engine.Place(request, perApp);
            if (result.Unplaced > 0)
            {
                throw new InvalidOperationException($"app {app}: {result.Unplaced} unplaced ({result.Rejections})");
            }

            placed += result.Assignments.Count;
            clock.Stop();
            perZoneSpread = Math.Max(perZoneSpread, Spread(result.Assignments, Zones));
            clock.Start();
        }

        clock.Stop();
        if (perZoneSpread > 1)
        {
            throw new InvalidOperationException($"GROUP_BY zone left zones {perZoneSpread} tasks apart");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return Task.FromResult(new ScenarioResult()
            .Add("placements", placed)
            .Add("agents", agentCount)
            .Add("seconds", seconds, 3)
            .Add("placements_per_s", (long)(placed / seconds)));
    }

    /// <summary>Largest difference of task counts between zones; also checks one task per host.</summary>
    private static int Spread(IReadOnlyList<Assignment> assignments, int zones)
    {
        var hosts = new HashSet<string>();
        var perZone = new int[zones];
        foreach (var assignment in assignments)
        {
            if (!hosts.Add(assignment.AgentId))
            {
                throw new InvalidOperationException($"UNIQUE hostname broken on {assignment.AgentId}");
            }

            perZone[int.Parse(assignment.AgentId.AsSpan("agent-".Length)) % zones]++;
        }

        return perZone.Max() - perZone.Min();
    }
}
