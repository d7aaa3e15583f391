using System.Diagnostics;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Scheduling.Allocation;
using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Placement;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// T2: one full weighted-DRF allocation round over 10,000 agents and 1,000 frameworks (each in its
/// own role, as in Mesos' allocator benchmark). Every round offers every agent; the offers are then
/// declined without a filter so the next round starts from the same state. Reports the median round.
/// </summary>
internal sealed class AllocationRoundScenario : IScenario
{
    public string Name => "allocation-round";

    public string Description => "one DRF allocation round, 10k agents x 1k frameworks (target <= 100 ms)";

    public Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var (agents, frameworks, rounds) = small ? (1_000, 100, 5) : (10_000, 1_000, 7);
        var allocator = new Allocator(new AllocatorOptions(), TimeProvider.System, new Random(42));
        var total = Res.Parse("cpus:8;mem:16384;disk:100000;ports:[31000-32000]");
        for (var i = 0; i < agents; i++)
        {
            var attributes = AgentAttributes.Parse($"rack:r{i % 50}");
            allocator.AddAgent(new AgentDescriptor($"agent-{i}", $"host-{i}", attributes) { Zone = $"zone-{i % 10}" }, total);
        }

        for (var f = 0; f < frameworks; f++)
        {
            allocator.AddFramework($"fw-{f}", [$"role-{f}"]);
        }

        var times = new List<double>();
        var offered = 0;
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var offers = allocator.Allocate();
            clock.Stop();
            times.Add(clock.Elapsed.TotalMilliseconds);
            offered = offers.Count;
            foreach (var offer in offers)
            {
                allocator.Decline(offer.OfferId, TimeSpan.Zero);
            }
        }

        if (offered != agents)
        {
            throw new InvalidOperationException($"a round offered {offered} agents, expected {agents}");
        }

        times.Sort();
        Console.WriteLine($"  rounds (ms): {string.Join(' ', times.Select(t => t.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}");
        return Task.FromResult(new ScenarioResult()
            .Add("agents", agents)
            .Add("frameworks", frameworks)
            .Add("offers", offered)
            .Add("ms", times[times.Count / 2], 1)
            .Add("max_ms", times[^1], 1));
    }
}
