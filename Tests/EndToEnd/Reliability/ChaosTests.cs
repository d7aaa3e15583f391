using OrleansDcos.Tests.EndToEnd.Components;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Chaos;
using Xunit;
using Xunit.Abstractions;

namespace OrleansDcos.Tests.EndToEnd.Reliability;

/// <summary>
/// The chaos soak's small run (2 minutes: 3 silos on a PostgreSQL of its own, 20 node daemons, SIGKILLs every 10 s and
/// one PostgreSQL crash under Marathon apps, Chronos jobs and an external v1 framework): the suite's part of issue 27.
/// It runs alone — other tests' load would be chaos of another kind.
/// </summary>
[Trait("Area", "Reliability")]
[Collection(ClusterCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    [RequiresFact(Component.Postgres, Component.Cgroups)]
    public async Task Two_minutes_of_sigkills_and_a_postgres_crash_lose_no_acknowledged_write_and_break_no_bound()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));

        var report = await ChaosRun.RunAsync(TimeSpan.FromMinutes(2), daemons: 20, seed: 27, output.WriteLine, deadline.Token);

        Assert.True(!report.Violations.Any(), string.Join('\n', report.Violations.Take(30)));
        Assert.True(report.Kills.Silos >= 1 && report.Kills.Silos + report.Kills.Daemons >= 8, $"only {report.Kills} kills happened");
        Assert.Equal(1, report.Kills.Postgres);
        Assert.True(report.AppWrites.Acknowledged >= 20, $"only {report.AppWrites} app writes");
        Assert.True(report.Jobs.Runs >= 4, $"only {report.Jobs} job runs");
        Assert.True(report.Framework.Tasks >= 10, $"only {report.Framework} framework tasks");
        Assert.True(report.Events.StatusUpdates >= 50, $"only {report.Events} status updates read");
    }
}
