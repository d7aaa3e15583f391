using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Constraints;
using OrleansDcos.Scheduling.Placement;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Scheduling;

/// <summary>Builders of agents and requests for the scheduling tests.</summary>
internal static class SchedulingFixtures
{
    public static AgentDescriptor Agent(int i, string attributes = "", string? zone = null, string? region = null) =>
        new($"agent-{i}", $"host-{i}.example", AgentAttributes.Parse(attributes)) { Zone = zone, Region = region };

    /// <summary><paramref name="count"/> agents with <paramref name="resources"/>, zone a/b/c/... round robin, rack attribute r{i % racks}.</summary>
    public static List<(AgentDescriptor, Res)> Agents(int count, string resources = "cpus:4;mem:4096;disk:10000;ports:[31000-31009]", int zones = 3, int racks = 4) =>
        Enumerable.Range(0, count)
            .Select(i => (Agent(i, $"rack:r{i % racks}", zone: ((char)('a' + i % zones)).ToString(), region: "eu"), Res.Parse(resources)))
            .ToList();

    public static TaskRequest Request(string group, string demand = "cpus:1;mem:128", params string[][] constraints) =>
        new(group, Res.Parse(demand))
        {
            Constraints = constraints.Select(c => Constraint.Create(c[0], c[1], c.Length > 2 ? c[2] : null)).ToArray(),
        };

    public static PlacementEngine Engine(IEnumerable<(AgentDescriptor, Res)> agents, int seed = 7, PlacementOptions? options = null) =>
        new(agents, new Random(seed), options);
}
