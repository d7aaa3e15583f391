using System.Diagnostics;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Providers.Hosting;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// T4d on Microsoft Orleans: state writes/s to PostgreSQL from 1,000 grains writing concurrently, through the
/// project's batching <c>SqlGrainStorage</c> (<c>orleans-state-writes</c>) or Orleans' own ADO.NET provider on the
/// project's script (<c>orleans-state-writes-adonet</c>). Each write is acknowledged only once committed.
/// </summary>
internal sealed class StateWritesScenario(bool adoNet) : IScenario
{
    public string Name => adoNet ? "state-writes-adonet" : "state-writes";

    public string Description => adoNet
        ? "Orleans state writes/s, Microsoft.Orleans.Persistence.AdoNet on PostgreSQL, 1,000 grains (for comparison)"
        : "Orleans state writes/s, the project's batching SqlGrainStorage on PostgreSQL, 1,000 grains (target >= 10k/s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        const int Grains = 1_000;
        var writesPerGrain = small ? 5 : 30;
        await using var schema = await PostgresSchema.CreateAsync();
        await OrleansSqlScripts.ApplyAsync(schema.ConnectionString, cancellationToken);
        await using var silo = await BenchSilo.StartAsync(builder =>
        {
            if (adoNet)
            {
                builder.AddAdoNetGrainStorage("Default", o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = schema.ConnectionString;
                });
            }
            else
            {
                builder.UsePostgresDatabase(schema.ConnectionString).AddSqlGrainStorage("Default");
            }
        });
        var writers = Enumerable.Range(0, Grains).Select(i => silo.Grains.GetGrain<IStateBenchWriter>($"w{i}")).ToArray();
        await Task.WhenAll(writers.Select(w => w.Write(1))); // activations, first inserts

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(writers.Select(w => w.Write(writesPerGrain)));
        clock.Stop();

        var total = Grains * writesPerGrain;
        return new ScenarioResult()
            .Add("provider", adoNet ? "adonet" : "sql-batched")
            .Add("grains", Grains)
            .Add("writes", total)
            .Add("seconds", clock.Elapsed.TotalSeconds, 3)
            .Add("writes_per_s", (long)(total / clock.Elapsed.TotalSeconds));
    }
}
