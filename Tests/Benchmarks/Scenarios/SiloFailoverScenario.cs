using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Silo;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// T5: three silos; writers keep incrementing the durable counters of many grains through two of them; the
/// third is killed (no goodbye). Reports the seconds until every grain answers again, and how many
/// acknowledged writes are missing afterwards (each grain's stored value must be at least its last acknowledged one).
/// </summary>
internal sealed class SiloFailoverScenario : IScenario
{
    public string Name => "silo-failover";

    public string Description => "kill one of 3 silos under load: seconds until its grains answer elsewhere, lost writes (target <= 10 s, 0 lost)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var grains = small ? 60 : 300;
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        await using var cluster = await WebSiloCluster.StartAsync(new WebSiloClusterOptions
        {
            PostgresConnectionString = schema.ConnectionString,
            InitialSilos = 3,
        });
        var silos = cluster.RunningSilos;
        var keys = Enumerable.Range(0, grains).Select(i => $"w{i}").ToArray();
        var acknowledged = new ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        var writers = keys.Select((key, i) => Task.Run(async () =>
        {
            var silo = silos[i % 2]; // the survivors call; the grains live anywhere
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await silo.Grains.GetGrain<IBenchWriter>(key).Write(1);
                    acknowledged.AddOrUpdate(key, 1, (_, n) => n + 1);
                }
                catch (Exception ex) when (ex is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
                {
                    // Outcome unknown: not counted as acknowledged.
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(small ? 2 : 5)); // steady load before the kill
        var clock = Stopwatch.StartNew();
        await cluster.KillSiloAsync(silos[2]);
        var answered = new HashSet<string>();
        while (answered.Count < keys.Length)
        {
            foreach (var key in keys.Where(k => !answered.Contains(k)).ToArray())
            {
                try
                {
                    await silos[0].Grains.GetGrain<IBenchReader>(key).Read();
                    answered.Add(key);
                }
                catch (Exception ex) when (ex is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
                {
                    // Not yet.
                }
            }
        }

        var recovered = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var lost = 0L;
        foreach (var key in keys)
        {
            var stored = await silos[0].Grains.GetGrain<IBenchReader>(key).Read();
            lost += Math.Max(0, acknowledged.GetValueOrDefault(key) + 0 - stored);
        }

        return new ScenarioResult()
            .Add("grains", grains)
            .Add("writes", acknowledged.Values.Sum())
            .Add("seconds", recovered, 2)
            .Add("lost_writes", lost);
    }
}
