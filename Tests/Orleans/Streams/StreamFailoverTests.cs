using OrleansDcos.Providers.Hosting;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Providers.Streams;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>
/// Two silos on PostgreSQL (ADO.NET clustering, event-log streams): one is killed while events flow on several
/// streams; every consumer still receives exactly what its stream's log holds, in log order (a redelivered event is
/// recognised by its position).
/// </summary>
[Trait("Area", "Orleans")]
[Collection(FailoverCollection.Name)]
public sealed class StreamFailoverTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Streams = 6;

    [RequiresFact(Component.Postgres)]
    public async Task Consumers_see_every_event_in_order_across_a_killed_silo()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        await using var cluster = await PostgresClusterSilo.StartAsync<StreamSilo>(schema.ConnectionString, silos: 2);

        var keys = Enumerable.Range(0, Streams).Select(i => $"fo-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var key in keys)
        {
            await cluster.Client.GetGrain<ITickRecorderGrain>(key).Wake();
        }

        // Publish in small batches, round the streams; a batch cut short by the kill is published again (the log
        // then holds some ticks twice, at different positions: the consumer must see the log as it is).
        using var stop = new CancellationTokenSource();
        var published = 0;
        var producing = Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                var key = keys[round % Streams];
                while (true)
                {
                    try
                    {
                        await cluster.Client.GetGrain<ITickPublisherGrain>($"p-{round % Streams}").Publish(StreamNames.Recorded, key, round * 10, 10);
                        Interlocked.Add(ref published, 10);
                        break;
                    }
                    catch (Exception) when (!stop.IsCancellationRequested)
                    {
                        await Task.Delay(100);
                    }
                }
            }
        });

        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref published) >= 300), TimeSpan.FromSeconds(30), "events flowing");
        await cluster.KillSiloAsync(cluster.Silos[1]);
        var afterKill = Volatile.Read(ref published);
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref published) >= afterKill + 300), TimeSpan.FromSeconds(60), "events flowing again on the survivor");
        stop.Cancel();
        await producing;

        await using var database = new PostgresDatabase(schema.ConnectionString);
        var log = new EventLog(database, cluster.Options.ServiceId);
        foreach (var key in keys)
        {
            var logged = await log.ReadStreamAsync(StreamNames.Provider, StreamNames.Recorded, key, 0, 100_000);
            await Poll.UntilAsync(() => Task.FromResult(Distinct(Received.Of(key)).Length >= logged.Count), TimeSpan.FromSeconds(60), () =>
            {
                var got = Distinct(Received.Of(key)).Select(r => r.Position).ToHashSet();
                var missing = logged.Select(e => e.Position).Where(p => !got.Contains(p)).ToList();
                return $"stream {key} fully delivered: {got.Count} of {logged.Count} positions, missing {missing.Count} " +
                    $"({string.Join(", ", missing.Take(12))}{(missing.Count > 12 ? ", …" : "")}); last received {Received.Of(key).LastOrDefault().Position}; " +
                    $"logged {logged.First().Position}–{logged.Last().Position}";
            });
            var seen = Distinct(Received.Of(key));
            Assert.Equal(logged.Select(e => e.Position), seen.Select(s => s.Position));
            Assert.Equal(seen.Select(s => s.Position).Order(), seen.Select(s => s.Position)); // first deliveries in log order
            output.WriteLine($"{key}: {logged.Count} logged, {Received.Of(key).Length} deliveries");
        }
    }

    /// <summary>The deliveries with a redelivered position counted once (the first time), in order of arrival.</summary>
    private static (int Number, long Position)[] Distinct((int Number, long Position)[] received)
    {
        var seen = new HashSet<long>();
        return [.. received.Where(r => seen.Add(r.Position))];
    }

    /// <summary>Silos with event-log streams in the test's schema.</summary>
    private sealed class StreamSilo : PostgresClusterSilo
    {
        protected override void ConfigureSilo(ISiloBuilder siloBuilder, string connectionString) => siloBuilder
            .UsePostgresDatabase(connectionString)
            .AddEventLogStreams(StreamNames.Provider, queues: 4);
    }
}
