using System.Diagnostics;
using OrleansDcos.Benchmarks.Harness;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>T4a: grain-to-grain calls inside one silo: 64 caller grains, each making sequential calls to its own 16 targets.</summary>
internal sealed class GrainCallsLocalScenario : IScenario
{
    public string Name => "grain-calls-local";

    public string Description => "calls between grains in one silo (target >= 500k/s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        const int Callers = 64, Targets = 16, SampleEvery = 16;
        var callsPerCaller = small ? 5_000 : 50_000;
        await using var silo = await BenchSilo.StartAsync(b => b.AddMemoryGrainStorageAsDefault());
        var callers = Enumerable.Range(0, Callers).Select(i => silo.Grains.GetGrain<IBenchCaller>($"c{i}")).ToArray();

        await Task.WhenAll(callers.Select(c => c.Run(1_000, Targets, SampleEvery))); // warm up: activations, JIT
        var clock = Stopwatch.StartNew();
        var samples = await Task.WhenAll(callers.Select(c => c.Run(callsPerCaller, Targets, SampleEvery)));
        clock.Stop();

        return CallRate.Result((long)Callers * callsPerCaller, clock.Elapsed, samples);
    }
}
