using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Silo.Marathon;
using Xunit;

namespace OrleansDcos.Tests.Unit.Fidelity;

/// <summary><c>taskStats</c> as Marathon writes it: groups by version, counts, running lifetimes.</summary>
[Trait("Area", "Fidelity")]
public sealed class MarathonTaskStatsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Tasks_are_grouped_by_version_with_counts_and_lifetimes()
    {
        var app = AppReader.ReadOne(JsonNode.Parse("""{"id": "/web", "cmd": "sleep 1000", "instances": 3}""")) with
        {
            Version = "2026-12-01T00:30:00.000Z",
            VersionInfo = new VersionInfo(LastScalingAt: "2026-12-01T00:30:00.000Z", LastConfigChangeAt: "2026-12-01T00:10:00.000Z"),
        };
        var stats = MarathonTaskStats.Of(app,
        [
            Instance("old", "2026-12-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z", TaskState.TASK_RUNNING, started: "2026-12-01T00:00:00.000Z"),
            Instance("new", "2026-12-01T00:10:00.000Z", "2026-12-01T00:40:00.000Z", TaskState.TASK_RUNNING, started: "2026-12-01T00:50:00.000Z"),
            Instance("staging", "2026-12-01T00:10:00.000Z", "2026-12-01T00:55:00.000Z", TaskState.TASK_STAGING, started: null),
        ], Now);

        Assert.Equal(["startedAfterLastScaling", "withLatestConfig", "withOutdatedConfig", "totalSummary"], stats.Select(p => p.Key));
        var total = stats["totalSummary"]!["stats"]!;
        Assert.Equal(1, total["counts"]!["staged"]!.GetValue<int>());
        Assert.Equal(2, total["counts"]!["running"]!.GetValue<int>());
        Assert.Equal(2100, total["lifeTime"]!["averageSeconds"]!.GetValue<double>()); // (3600 + 600) / 2
        Assert.Equal(2100, total["lifeTime"]!["medianSeconds"]!.GetValue<double>());
        Assert.Equal(1, stats["withOutdatedConfig"]!["stats"]!["counts"]!["running"]!.GetValue<int>());
        Assert.Equal(2, stats["startedAfterLastScaling"]!["stats"]!["counts"]!.AsObject().Sum(c => c.Value!.GetValue<int>()));
        Assert.Null(stats["withOutdatedConfig"]!["stats"]!["counts"]!["tasksRunning"]); // Marathon's names without the prefix
    }

    [Fact]
    public void An_app_without_tasks_has_no_groups()
    {
        var app = AppReader.ReadOne(JsonNode.Parse("""{"id": "/idle", "cmd": "sleep 1000", "instances": 0}"""));
        Assert.Empty(MarathonTaskStats.Of(app, [], Now));
    }

    private static InstanceRecord Instance(string id, string config, string staged, TaskState state, string? started) =>
        new(id, "/web", "a1", "h1", [], [], "v", config, staged, started, state, null, false, "", Resources.Parse("cpus:1"), "*");
}
