using System.Diagnostics;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>T4d: persistent state writes to PostgreSQL from 1,000 grains writing concurrently (each write acknowledged only once committed).</summary>
internal sealed class StateWritesScenario : IScenario
{
    public string Name => "state-writes";

    public string Description => "state writes/s to PostgreSQL from 1,000 grains (target >= 10k/s; needs infra/provision.sh)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        const int Grains = 1_000;
        var writesPerGrain = small ? 5 : 30;
        await using var schema = await PostgresSchema.CreateAsync();
        await using var silo = await BenchSilo.StartAsync(b => b.UsePostgres(schema.ConnectionString));
        var writers = Enumerable.Range(0, Grains).Select(i => silo.Grains.GetGrain<IBenchWriter>($"w{i}")).ToArray();
        await Task.WhenAll(writers.Select(w => w.Write(1))); // activations, first inserts

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(writers.Select(w => w.Write(writesPerGrain)));
        clock.Stop();

        var total = Grains * writesPerGrain;
        return new ScenarioResult()
            .Add("grains", Grains)
            .Add("writes", total)
            .Add("seconds", clock.Elapsed.TotalSeconds, 3)
            .Add("writes_per_s", (long)(total / clock.Elapsed.TotalSeconds));
    }
}
