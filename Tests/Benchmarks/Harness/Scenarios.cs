using OrleansDcos.Benchmarks.Scenarios;

namespace OrleansDcos.Benchmarks.Harness;

/// <summary>Every scenario the harness knows, by name.</summary>
internal static class Scenarios
{
    /// <summary>All scenarios, in the order <c>all</c> runs them.</summary>
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new AllocationRoundScenario(),
        new PlacementScenario(),
        new GrainCallsLocalScenario(),
        new ActivationsScenario(),
        new StateWritesScenario(adoNet: false),
        new StateWritesScenario(adoNet: true),
        new GrainCallsRemoteScenario(),
        new SiloFailoverScenario(),
        new ApiFailoverScenario(),
        new StreamAppendsScenario(),
        new EventBusScenario(),
        new C1mScenario(),
        new LaunchLatencyScenario(),
        new AgentLossScenario(),
        new Deploy10kScenario(),
        new ApiScaleScenario(),
        new ApiLoginScenario(),
        new FuzzScenario(),
        new ChaosScenario(),
        new JobsDueScenario(),
        new DnsScenario(),
        new DnsFreshnessScenario(),
        new LoadBalancerFreshnessScenario(),
    ];
}
