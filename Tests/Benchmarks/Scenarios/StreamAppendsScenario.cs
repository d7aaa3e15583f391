using System.Diagnostics;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Providers.Hosting;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// <c>stream-appends</c> on Microsoft Orleans: 1,000 producer grains publish task status events on the one
/// task-status stream through the project's event-log stream provider on PostgreSQL; each <c>OnNextAsync</c> is
/// acknowledged once committed.
/// </summary>
internal sealed class StreamAppendsScenario : IScenario
{
    private const string Provider = "bench";

    public string Name => "stream-appends";

    public string Description => "Orleans stream events/s on one stream, event-log provider on PostgreSQL, 1,000 producer grains (target >= 50k/s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        const int Writers = 1_000;
        var perWriter = small ? 20 : 200;
        await using var schema = await PostgresSchema.CreateAsync();
        await using var silo = await BenchSilo.StartAsync(b => b.UsePostgresDatabase(schema.ConnectionString).AddEventLogStreams(Provider));
        var producers = Enumerable.Range(0, Writers).Select(i => silo.Grains.GetGrain<IBenchProducer>(i)).ToArray();
        await Task.WhenAll(producers.Select(p => p.Publish(Provider, 1))); // activations, the stream's first appends

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(producers.Select(p => p.Publish(Provider, perWriter)));
        clock.Stop();

        var total = Writers * perWriter;
        return new ScenarioResult()
            .Add("appends", total)
            .Add("seconds", clock.Elapsed.TotalSeconds, 3)
            .Add("appends_per_s", (long)(total / clock.Elapsed.TotalSeconds));
    }
}
