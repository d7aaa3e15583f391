using System.Diagnostics;
using OrleansDcos.Benchmarks.Harness;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>T4c: 100,000 activations (one call each); time, and managed memory per idle activation.</summary>
internal sealed class ActivationsScenario : IScenario
{
    public string Name => "activations";

    public string Description => "100k grain activations: time and bytes per idle activation (target <= 2 KB)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var count = small ? 20_000 : 100_000;
        await using var silo = await BenchSilo.StartAsync(b => b.AddMemoryGrainStorageAsDefault());
        await silo.Grains.GetGrain<IBenchTarget>("warm-up").Ping(0);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var clock = Stopwatch.StartNew();
        const int Batch = 1_000;
        for (var start = 0; start < count; start += Batch)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(Batch, count - start)).Select(i => silo.Grains.GetGrain<IBenchTarget>($"a{i}").Ping(i)));
        }

        clock.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        return new ScenarioResult()
            .Add("activations", count)
            .Add("seconds", clock.Elapsed.TotalSeconds, 3)
            .Add("activations_per_s", (long)(count / clock.Elapsed.TotalSeconds))
            .Add("bytes_per_activation", (after - before) / count);
    }
}
