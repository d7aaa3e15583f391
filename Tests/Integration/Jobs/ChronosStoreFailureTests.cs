using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Jobs;
using OrleansDcos.Tests.Support.Master;
using Xunit;
using static OrleansDcos.Tests.Support.Jobs.ChronosApi;

namespace OrleansDcos.Tests.Integration.Jobs;

/// <summary>
/// The store refuses a job's writes for a while (a PostgreSQL trigger, as a crashed server fails them): the job's
/// ticks fail. Found by the chaos soak — the jobs root dropped a job whose tick failed (it waits for the job to tell
/// its next wake), so the job never ran again until the root itself restarted. Now the root ticks it again.
/// </summary>
[Trait("Area", "Jobs")]
[Trait("Area", "Reliability")]
[Collection(ClusterCollection.Name)]
public sealed class ChronosStoreFailureTests
{
    [RequiresFact(Component.Postgres)]
    public async Task A_job_whose_ticks_failed_while_the_store_refused_its_writes_is_ticked_again_after()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(silos: 1, jobs: true);
        foreach (var agent in await master.AddAgentsAsync(1))
        {
            agent.Behaviour = _ => new SimulatedOutcome(TimeSpan.FromMilliseconds(20), RunFor: null); // the first run never ends
        }

        // Every 2 s, not concurrent: while the first run lives, each due time is skipped — a tick that writes the job.
        using var api = new ChronosApi(master.Gateway);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds());
        await api.PutJobAsync(new() { ["name"] = "ticking", ["command"] = "run", ["schedule"] = $"R/{At(start)}/PT2S", ["epsilon"] = "PT30S", ["concurrent"] = false, ["mem"] = 32, ["disk"] = 0 });
        await SkippedAtLeastAsync(api, 1); // the first run lives on

        await using (await StateWritesRefused.StartAsync(master.Cluster.ClusterId, "job"))
        {
            // Two due times pass with every write of the job refused: their ticks fail.
            await Task.Delay(TimeSpan.FromSeconds(5)); // the scenario's length, not a condition
        }

        var skipped = await SkippedAsync(api);
        await SkippedAtLeastAsync(api, skipped + 2);
    }

    private static async Task<int> SkippedAsync(ChronosApi api) => (await api.JobAsync("ticking"))["skippedCount"]!.GetValue<int>();

    private static Task SkippedAtLeastAsync(ChronosApi api, int count) => Poll.UntilAsync(
        async () => await SkippedAsync(api) >= count, TimeSpan.FromSeconds(15), () => $"{count} due times of 'ticking' skipped (the job is still ticked)");
}
