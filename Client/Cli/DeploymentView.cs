using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli;

/// <summary>What a deployment is doing and, when it does not move, why — read from <c>/v2/deployments</c>, the apps and <c>/v2/queue</c>.</summary>
public static class DeploymentView
{
    /// <summary>The step line: <c>step 1/2: StartApplication /web, ScaleApplication /db</c> (with what blocks an action).</summary>
    public static string Step(JsonObject deployment)
    {
        var actions = Cells.Objects(deployment["currentActions"]).Select(a =>
        {
            var text = $"{a["action"]} {a["app"]}";
            var blocked = a["blockedBy"]?.ToString();
            return string.IsNullOrEmpty(blocked) ? text : $"{text} (blocked: {blocked})";
        });
        return $"step {deployment["currentStep"]}/{deployment["totalSteps"]}: {string.Join(", ", actions)}";
    }

    /// <summary>An app's instances: <c>/web 2/3 running, 2 healthy</c> (healthy only when the app has checks).</summary>
    public static string Instances(JsonObject app)
    {
        var running = Count(app, "tasksRunning");
        var healthy = Count(app, "tasksHealthy");
        var staged = Count(app, "tasksStaged");
        var wanted = Count(app, "instances");
        var checks = app["healthChecks"] is JsonArray { Count: > 0 };
        var text = $"{app["id"]} {running}/{wanted} running";
        if (staged > 0)
        {
            text += $", {staged} staging";
        }

        return checks ? text + $", {healthy} healthy" : text;
    }

    /// <summary>The share of the work done, 0–1: instances running (or healthy, when checked) of those wanted.</summary>
    public static double Done(JsonObject app)
    {
        var wanted = Count(app, "instances");
        var ready = app["healthChecks"] is JsonArray { Count: > 0 } ? Count(app, "tasksHealthy") : Count(app, "tasksRunning");
        return wanted == 0 ? 1 : Math.Clamp((double)ready / wanted, 0, 1);
    }

    /// <summary>
    /// Why an app's instances do not start, when something says so: offers declined (by reason, from the queue),
    /// the launch delay after failures, the last task failure since <paramref name="since"/>. Null when nothing is known.
    /// </summary>
    public static string? Why(string appId, JsonObject? app, JsonNode? queue, DateTimeOffset since)
    {
        var reasons = new List<string>();
        var item = Cells.Objects(queue?["queue"]).FirstOrDefault(q => q["app"]?["id"]?.ToString() == appId);
        if (item is not null)
        {
            var declined = Cells.Objects(item["rejectDetailsLastOffers"])
                .Select(r => (Reason: r["reason"]?.ToString() ?? "?", Count: r["declined"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0))
                .Where(r => r.Count > 0)
                .OrderByDescending(r => r.Count)
                .ToList();
            if (declined.Count > 0)
            {
                reasons.Add("offers declined: " + string.Join(", ", declined.Select(r => $"{r.Reason} ({r.Count.ToString(CultureInfo.InvariantCulture)})")));
            }
            else if (item["processedOffersSummary"]?["processedOffersCount"] is JsonValue processed && processed.TryGetValue<int>(out var count) && count == 0)
            {
                reasons.Add("no offers received yet");
            }

            if (item["delay"]?["timeLeftSeconds"] is JsonValue left && left.TryGetValue<int>(out var seconds) && seconds > 0)
            {
                reasons.Add($"launch delayed {seconds.ToString(CultureInfo.InvariantCulture)} s after failures");
            }

            if (item["lastReason"]?.ToString() is { Length: > 0 } last && declined.Count == 0)
            {
                reasons.Add(last);
            }
        }

        if (app?["lastTaskFailure"] is JsonObject failure
            && (!DateTimeOffset.TryParse(failure["timestamp"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) || at >= since.AddSeconds(-1)))
        {
            reasons.Add($"last task failure: {failure["state"]} {failure["message"]}".TrimEnd());
        }

        return reasons.Count == 0 ? null : $"{appId}: {string.Join("; ", reasons)}";
    }

    private static int Count(JsonObject app, string name) => app[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
}
