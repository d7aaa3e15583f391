using System.Diagnostics;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Silo;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>T4b: calls from grains on one silo to grains on another (2 Orleans silos on this machine).</summary>
internal sealed class GrainCallsRemoteScenario : IScenario
{
    public string Name => "grain-calls-remote";

    public string Description => "calls across 2 silos on one box (target >= 50k/s, p99 <= 5 ms; needs infra/provision.sh)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        const int Callers = 64, TargetsPerCaller = 4, SampleEvery = 8;
        var callsPerCaller = small ? 300 : 6_000;
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await WebSiloCluster.StartAsync(new WebSiloClusterOptions
        {
            PostgresConnectionString = TestEnvironment.PostgresConnectionString!,
            InitialSilos = 2,
        });
        var (callSilo, targetSilo) = (cluster.RunningSilos[0], cluster.RunningSilos[1]);
        var targets = Enumerable.Range(0, Callers).Select(c => Enumerable.Range(0, TargetsPerCaller).Select(t => $"t{c}-{t}").ToArray()).ToArray();
        await Task.WhenAll(targets.SelectMany(t => t).Select(t => targetSilo.Grains.GetGrain<IRemoteTarget>(t).Ping(0))); // placed on the target silo
        var callers = Enumerable.Range(0, Callers).Select(c => callSilo.Grains.GetGrain<IRemoteCaller>($"c{c}")).ToArray();
        await Task.WhenAll(callers.Select((c, i) => c.Run(targets[i], small ? 50 : 1_000, SampleEvery))); // warm up: links, JIT tiers

        var clock = Stopwatch.StartNew();
        var samples = await Task.WhenAll(callers.Select((c, i) => c.Run(targets[i], callsPerCaller, SampleEvery)));
        clock.Stop();

        return CallRate.Result((long)Callers * callsPerCaller, clock.Elapsed, samples);
    }
}
