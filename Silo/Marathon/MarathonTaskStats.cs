using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Mesos;

namespace OrleansDcos.Silo.Marathon;

/// <summary>
/// Marathon's <c>taskStats</c> (<c>?embed=app.taskStats</c>): counts and running lifetimes of an app's tasks by group —
/// started after the last scaling, with the latest config, with an outdated config, and all — each group shown only
/// when it has tasks, as Marathon writes them.
/// </summary>
internal static class MarathonTaskStats
{
    /// <summary>The stats of <paramref name="app"/>'s <paramref name="instances"/> at <paramref name="now"/>.</summary>
    public static JsonObject Of(AppDefinition app, IReadOnlyList<InstanceRecord> instances, DateTimeOffset now)
    {
        var lastScaling = MarathonKeys.ParseTimestamp(app.VersionInfo?.LastScalingAt);
        var config = app.VersionInfo?.LastConfigChangeAt ?? app.Version ?? "";
        var json = new JsonObject();
        foreach (var (name, members) in new[]
        {
            ("startedAfterLastScaling", instances.Where(i => lastScaling is { } at && MarathonKeys.ParseTimestamp(i.StagedAt) >= at).ToList()),
            ("withLatestConfig", instances.Where(i => i.ConfigVersion == config).ToList()),
            ("withOutdatedConfig", instances.Where(i => i.ConfigVersion != config).ToList()),
            ("totalSummary", instances.ToList()),
        })
        {
            if (members.Count > 0)
            {
                json[name] = new JsonObject { ["stats"] = Stats(app, members, now) };
            }
        }

        return json;
    }

    private static JsonObject Stats(AppDefinition app, IReadOnlyList<InstanceRecord> members, DateTimeOffset now)
    {
        var counts = AppCounts.Of(app, members);
        var stats = new JsonObject
        {
            ["counts"] = new JsonObject { ["staged"] = counts.Staged, ["running"] = counts.Running, ["healthy"] = counts.Healthy, ["unhealthy"] = counts.Unhealthy },
        };
        var lifetimes = members.Where(i => i.State == TaskState.TASK_RUNNING)
            .Select(i => MarathonKeys.ParseTimestamp(i.StartedAt)).OfType<DateTimeOffset>()
            .Select(started => Math.Max(0, (now - started).TotalSeconds)).Order().ToList();
        if (lifetimes.Count > 0)
        {
            var median = lifetimes.Count % 2 == 1 ? lifetimes[lifetimes.Count / 2] : (lifetimes[(lifetimes.Count / 2) - 1] + lifetimes[lifetimes.Count / 2]) / 2;
            stats["lifeTime"] = new JsonObject { ["averageSeconds"] = Math.Round(lifetimes.Average(), 3), ["medianSeconds"] = Math.Round(median, 3) };
        }

        return stats;
    }
}
