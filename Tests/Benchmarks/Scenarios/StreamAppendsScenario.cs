using System.Diagnostics;
using System.Text.Json;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Grains.Agents;
using OrleansDcos.Grains.Master;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Runtime.Streams;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// T1's floor: appends of task status events to one durable stream on PostgreSQL (as the master's task-status stream
/// takes them), from 1,000 concurrent writers; each append acknowledged once committed.
/// </summary>
internal sealed class StreamAppendsScenario : IScenario
{
    public string Name => "stream-appends";

    public string Description => "task status events appended/s to one durable stream on PostgreSQL from 1,000 writers (c1m needs >= 10k/s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        const int Writers = 1_000;
        var perWriter = small ? 20 : 200;
        await using var schema = await PostgresSchema.CreateAsync();
        await using var database = new PostgresDatabase(schema.ConnectionString);
        var store = new SqlStreamStore(database, "bench");
        var stream = new StreamId(MasterStreams.TaskStatusNamespace, MasterStreams.AllTasksKey);
        string Payload(int writer, int i) => JsonSerializer.Serialize(new TaskStatusEvent($"agent-{writer}", new TaskStatusUpdate(
            $"fw{writer % 100}.{i}", $"fw{writer % 100}", TaskState.TASK_RUNNING, Guid.NewGuid(), 1.7e9, null, null), MasterStreams.SourceAgent), GrainJson.Options);
        await store.AppendAsync("default", stream, Payload(0, 0), cancellationToken);

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                await store.AppendAsync("default", stream, Payload(w, i), cancellationToken);
            }
        }, cancellationToken)));
        clock.Stop();

        var total = Writers * perWriter;
        return new ScenarioResult()
            .Add("appends", total)
            .Add("seconds", clock.Elapsed.TotalSeconds, 3)
            .Add("appends_per_s", (long)(total / clock.Elapsed.TotalSeconds));
    }
}
