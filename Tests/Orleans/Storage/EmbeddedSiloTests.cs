using Orleans.TestingHost;
using OrleansDcos.Providers.Hosting;
using OrleansDcos.Tests.Orleans.Clustering;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Storage;

/// <summary>
/// An Orleans silo on the project's SQLite providers (the embedded default's storage): grain state and reminders are
/// in the file, so a silo started again on it finds the state and the reminder ticks again.
/// </summary>
[Trait("Area", "Orleans")]
public sealed class EmbeddedSiloTests
{
    [Fact]
    public async Task State_and_reminders_in_the_sqlite_file_outlive_the_silo()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "embedded.db");
        var serviceId = $"svc-{Guid.NewGuid():N}";
        var key = $"probe-{Guid.NewGuid():N}";

        await using (var first = await StartAsync(file, serviceId))
        {
            var counter = first.Client.GetGrain<IStoredCounterGrain>(key);
            await counter.Add(2);
            await counter.Add(3);
            await first.Client.GetGrain<IProbeGrain>(key).StartTicking();
            await Poll.UntilAsync(() => Task.FromResult(ProbeTicks.Counts.GetValueOrDefault(key) >= 1), TimeSpan.FromSeconds(20), "the reminder ticks");
            await first.StopAllSilosAsync();
        }

        var ticksBefore = ProbeTicks.Counts[key];
        await using var second = await StartAsync(file, serviceId);

        Assert.Equal(5, await second.Client.GetGrain<IStoredCounterGrain>(key).Get());
        await Poll.UntilAsync(() => Task.FromResult(ProbeTicks.Counts[key] >= ticksBefore + 2), TimeSpan.FromSeconds(30), "the reminder ticks on the new silo, loaded from the file");
    }

    private static Task<InProcessTestCluster> StartAsync(string file, string serviceId) =>
        OneSiloCluster.StartAsync(serviceId, silo => silo
            .UseSqliteDatabase(file)
            .AddSqlGrainStorage("Default")
            .UseSqlReminderTable()
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)));
}
