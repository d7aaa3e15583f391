using System.Globalization;
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
        var lastScaling = Parse(app.VersionInfo?.LastScalingAt);
        var config = app.VersionInfo?.LastConfigChangeAt ?? app.Version ?? "";
        var json = new JsonObject();
        foreach (var (name, members) in new[]
        {
            ("startedAfterLastScaling", instances.Where(i => lastScaling is { } at && Parse(i.StagedAt) >= at).ToList()),
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
        var lifetimes = members.Where(i => i.State == TaskState.TASK_RUNNING && Parse(i.StartedAt) is not null)
            .Select(i => Math.Max(0, (now - Parse(i.StartedAt)!.Value).TotalSeconds)).Order().ToList();
        if (lifetimes.Count > 0)
        {
            var median = lifetimes.Count % 2 == 1 ? lifetimes[lifetimes.Count / 2] : (lifetimes[(lifetimes.Count / 2) - 1] + lifetimes[lifetimes.Count / 2]) / 2;
            stats["lifeTime"] = new JsonObject { ["averageSeconds"] = Math.Round(lifetimes.Average(), 3), ["medianSeconds"] = Math.Round(median, 3) };
        }

        return stats;
    }

    private static DateTimeOffset? Parse(string? timestamp) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
