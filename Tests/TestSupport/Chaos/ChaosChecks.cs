using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support.Marathon;

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// The soak's checks, each computed from what the workload was told (acknowledged writes), what the event stream and the
/// framework received, what actually ran (the jobs' run file), and what the API shows at the end.
/// </summary>
public static class ChaosChecks
{
    private static readonly TimeSpan TargetWindow = TimeSpan.FromSeconds(60);

    /// <summary>Every acknowledged app write holds: the last acknowledged version is the app's (or among its versions when writes of unknown outcome followed), an acknowledged delete left no app.</summary>
    public static async Task AppWritesAsync(IReadOnlyList<AppWrite> writes, ChaosHttp http, ChaosReport report)
    {
        report.AppWrites = (writes.Count, writes.Count(w => w.Acknowledged), writes.Count(w => w.Unknown));
        foreach (var app in writes.GroupBy(w => w.AppId))
        {
            var all = app.ToList();
            var last = all.FindLastIndex(w => w.Acknowledged);
            if (last < 0)
            {
                continue;
            }

            var acknowledged = all[last];
            var unknownAfter = all.Skip(last + 1).Where(w => w.Unknown).ToList();
            var (status, body, text) = await http.ReadAsync($"/v2/apps{app.Key}");
            if (acknowledged.Kind == "delete")
            {
                if (status != HttpStatusCode.NotFound)
                {
                    report.LostWrites.Add($"{app.Key} was deleted ({acknowledged.SentAt:HH:mm:ss.fff}, answered {acknowledged.Status}) but GET answers {(int)status}: {Cut(text)}");
                }

                continue;
            }

            if (unknownAfter.Any(w => w.Kind == "delete") && status == HttpStatusCode.NotFound)
            {
                continue;
            }

            if (status != HttpStatusCode.OK)
            {
                report.LostWrites.Add($"{app.Key}: {acknowledged.Kind} acknowledged ({acknowledged.SentAt:HH:mm:ss.fff}, version {acknowledged.Version}) but GET answers {(int)status}: {Cut(text)}");
                continue;
            }

            var current = body?["app"]?["version"]?.GetValue<string>();
            if (acknowledged.Version is null || current == acknowledged.Version)
            {
                continue;
            }

            if (unknownAfter.Count == 0)
            {
                report.LostWrites.Add($"{app.Key}: {acknowledged.Kind} acknowledged as version {acknowledged.Version} (last write) but the app is at {current}");
                continue;
            }

            var (_, versions, _) = await http.ReadAsync($"/v2/apps{app.Key}/versions");
            if (versions?["versions"] is not JsonArray list || !list.Any(v => v?.GetValue<string>() == acknowledged.Version))
            {
                report.LostWrites.Add($"{app.Key}: {acknowledged.Kind} acknowledged as version {acknowledged.Version} is not among its versions ({Cut(versions?.ToJsonString())})");
            }
        }
    }

    /// <summary>
    /// Replays Marathon's status updates: a task id RUNNING on two agents, and an app with more launched tasks than its
    /// upgrade strategy allows (⌈target × (1 + maximumOverCapacity)⌉, the target being the largest any write of the
    /// last minute asked for, or the last one before — and the last acknowledged one before, since a write answered
    /// 503 or not at all may not have happened). A task that was UNREACHABLE and came back is not counted: Marathon
    /// did not launch it.
    /// </summary>
    public static void StatusUpdates(IReadOnlyList<SseEvent> events, IReadOnlyList<AppWrite> writes, ChaosReport report)
    {
        var tasks = new Dictionary<string, (string App, string State, bool Returned)>(StringComparer.Ordinal);
        var agents = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var history = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var byApp = writes.ToLookup(w => w.AppId, StringComparer.Ordinal);
        var updates = 0;
        foreach (var e in events.Where(e => e.Type == "status_update_event"))
        {
            updates++;
            var taskId = e.Data["taskId"]!.GetValue<string>();
            var app = e.Data["appId"]!.GetValue<string>();
            var state = e.Data["taskStatus"]!.GetValue<string>();
            var agent = e.Data["slaveId"]?.GetValue<string>() ?? "?";
            var at = DateTimeOffset.Parse(e.Data["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var returned = tasks.TryGetValue(taskId, out var known) && (known.Returned || known.State == "TASK_UNREACHABLE");
            tasks[taskId] = (app, state, returned);
            if (state == "TASK_RUNNING" && (agents.TryGetValue(taskId, out var seen) ? seen : agents[taskId] = new(StringComparer.Ordinal)).Add(agent) && agents[taskId].Count == 2)
            {
                report.RunningTwice.Add($"{taskId} of {app} RUNNING on {string.Join(" and ", agents[taskId])} (event {e.Id})");
            }

            (history.TryGetValue(taskId, out var past) ? past : history[taskId] = []).Add($"{state}@{at:HH:mm:ss.f}");
            var active = tasks.Where(t => t.Value.App == app && !t.Value.Returned && t.Value.State is "TASK_STAGING" or "TASK_STARTING" or "TASK_RUNNING").Select(t => t.Key).ToList();
            // A write of unknown outcome may not have happened: the last acknowledged one before it may still hold.
            var recent = byApp[app].Where(w => w.SentAt <= at && w.SentAt >= at - TargetWindow).ToList();
            var before = byApp[app].LastOrDefault(w => w.SentAt < at - TargetWindow);
            var acknowledgedBefore = byApp[app].LastOrDefault(w => w.SentAt < at - TargetWindow && w.Acknowledged);
            var targets = recent.Concat(before is null ? [] : [before]).Concat(acknowledgedBefore is null ? [] : [acknowledgedBefore]).Select(w => w.Instances).ToList();
            if (targets.Count == 0)
            {
                continue;
            }

            var bound = (int)Math.Ceiling(targets.Max() * (1 + MarathonWorkload.MaximumOverCapacity));
            if (active.Count > bound && report.CapacityBroken.Count < 50)
            {
                report.CapacityBroken.Add($"{app} had {active.Count} launched tasks > {bound} (targets {string.Join('/', targets)}) at event {e.Id} ({at:HH:mm:ss.fff}, {taskId} {state}): {string.Join("; ", active.Select(t => $"{t} [{string.Join(" ", history[t].TakeLast(6))}]"))}; writes: {string.Join(", ", byApp[app].Select(w => w.Describe()))}");
            }
        }

        report.Events = (updates, report.Events.Attachments);
    }

    /// <summary>
    /// Every acknowledged job exists; every (job, due) up to <paramref name="cutoff"/> ran exactly once (the run file),
    /// or not at all when Chronos recorded it skipped; no run happened that Chronos has no record of.
    /// </summary>
    public static async Task JobsAsync(JobWorkload jobs, DateTimeOffset cutoff, ChaosHttp http, ChaosReport report)
    {
        var executions = jobs.Executions();
        var ran = executions.ToLookup(x => (x.Job, x.DueMs));
        var created = 0;
        var skipped = 0;
        foreach (var job in jobs.Writes.Where(w => w.Acknowledged))
        {
            created++;
            var (status, _, text) = await http.ReadAsync($"/v1/scheduler/job/{job.Name}");
            if (status != HttpStatusCode.OK)
            {
                report.LostWrites.Add($"job {job.Name} was acknowledged ({job.SentAt:HH:mm:ss.fff}) but GET answers {(int)status}: {Cut(text)}");
                continue;
            }

            var (_, history, _) = await http.ReadAsync($"/v1/scheduler/job/{job.Name}/runs");
            var runs = (history?["runs"] as JsonArray ?? []).Select(r => r!.AsObject())
                .Select(r => (DueMs: DateTimeOffset.Parse(r["due"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), State: r["state"]!.GetValue<string>()))
                .ToList();
            var dues = job.ScheduleStart is { } start
                ? [.. Enumerable.Range(0, 1000).Select(k => start + (k * JobWorkload.Period)).TakeWhile(d => d <= cutoff).Select(d => d.ToUnixTimeMilliseconds())]
                : runs.Select(r => r.DueMs).Where(d => d <= cutoff.ToUnixTimeMilliseconds()).Distinct().ToList();
            foreach (var due in dues)
            {
                var times = ran[(job.Name, due)].ToList();
                var records = runs.Where(r => r.DueMs == due).Select(r => r.State).ToList();
                var wasSkipped = records.Contains("skipped");
                skipped += wasSkipped ? 1 : 0;
                if (times.Count != (wasSkipped ? 0 : 1) || records.Count > 1)
                {
                    report.JobRunsNotOnce.Add($"{job.Name} due {DateTimeOffset.FromUnixTimeMilliseconds(due):HH:mm:ss.fff}: ran {times.Count} time(s) (attempts {string.Join(',', times.Select(t => t.Attempt))}), Chronos recorded [{string.Join(", ", records)}]");
                }
            }

            foreach (var extra in executions.Where(x => x.Job == job.Name && x.DueMs <= cutoff.ToUnixTimeMilliseconds() && !dues.Contains(x.DueMs)))
            {
                report.JobRunsNotOnce.Add($"{job.Name} ran for due {DateTimeOffset.FromUnixTimeMilliseconds(extra.DueMs):HH:mm:ss.fff} (attempt {extra.Attempt}), which is no due of its schedule nor a run Chronos recorded");
            }
        }

        report.Jobs = (created, executions.Count, skipped);
    }

    /// <summary>
    /// The acknowledged jobs with a run still in progress (queued, launching, running) for a due time up to
    /// <paramref name="cutoff"/>, each described; empty when every such run has ended. Counting runs before they end
    /// would take a slow run for a missing one.
    /// </summary>
    public static async Task<List<string>> JobsInProgressAsync(JobWorkload jobs, DateTimeOffset cutoff, ChaosHttp http)
    {
        var busy = new List<string>();
        foreach (var job in jobs.Writes.Where(w => w.Acknowledged))
        {
            var (status, body, _) = await http.ReadAsync($"/v1/scheduler/job/{job.Name}");
            if (status == HttpStatusCode.OK && body?["currentRun"] is JsonObject run
                && DateTimeOffset.Parse(run["due"]!.GetValue<string>(), CultureInfo.InvariantCulture) <= cutoff)
            {
                busy.Add($"{job.Name} due {run["due"]}: still {run["state"]} ({run["taskId"]})");
            }
        }

        return busy;
    }

    /// <summary>Every task the external framework launched (acknowledged) ended, and it received that end.</summary>
    public static void FrameworkUpdates(ChaosFramework framework, IReadOnlyDictionary<string, string> masterStates, ChaosReport report)
    {
        var updates = framework.Updates();
        var received = updates.ToLookup(u => u.TaskId, StringComparer.Ordinal);
        foreach (var taskId in framework.Launched.Keys.Order(StringComparer.Ordinal))
        {
            var states = received[taskId].Select(u => u.State).ToList();
            if (!states.Any(ChaosFramework.IsTerminal))
            {
                report.UpdatesNeverReceived.Add($"{taskId}: received [{string.Join(", ", states)}], the master says {masterStates.GetValueOrDefault(taskId) ?? "nothing"}");
            }
        }

        foreach (var task in updates.Where(u => u.State == "TASK_RUNNING" && u.AgentId is not null).GroupBy(u => u.TaskId).Where(g => g.Select(u => u.AgentId).Distinct().Count() > 1))
        {
            report.RunningTwice.Add($"{task.Key} of the external framework RUNNING on {string.Join(" and ", task.Select(u => u.AgentId).Distinct())}");
        }

        report.Framework = (framework.Launched.Count, framework.Subscriptions);
    }

    /// <summary>The apps under <c>/chaos</c> that are not running and healthy as asked or still deploying, each described; empty when converged.</summary>
    public static async Task<List<string>> UnconvergedAsync(ChaosHttp http)
    {
        var (status, body, text) = await http.ReadAsync("/v2/apps?embed=apps.deployments");
        if (status != HttpStatusCode.OK)
        {
            return [$"/v2/apps answers {(int)status}: {Cut(text)}"];
        }

        var problems = new List<string>();
        var apps = (body?["apps"] as JsonArray ?? []).Select(a => a!.AsObject()).Where(a => a["id"]!.GetValue<string>().StartsWith("/chaos/", StringComparison.Ordinal)).ToList();

        // A task still alive of an app that no longer exists (Marathon task ids are the app id's segments joined by '_').
        var (tasksStatus, tasks, tasksText) = await http.ReadAsync("/master/tasks");
        if (tasksStatus != HttpStatusCode.OK)
        {
            return [$"/master/tasks answers {(int)tasksStatus}: {Cut(tasksText)}"];
        }

        var known = apps.Select(a => a["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var task in (tasks?["tasks"] as JsonArray ?? []).Select(t => t!.AsObject()))
        {
            var id = task["id"]!.GetValue<string>();
            var state = task["state"]!.GetValue<string>();
            var app = id.StartsWith("chaos_", StringComparison.Ordinal) && id.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot ? "/" + id[..dot].Replace('_', '/') : null;
            if (app is not null && !known.Contains(app) && state is "TASK_STAGING" or "TASK_STARTING" or "TASK_RUNNING" or "TASK_KILLING")
            {
                problems.Add($"{app}: deleted, but its task {id} is {state} on {task["slave_id"]}");
            }
        }

        foreach (var app in apps)
        {
            var instances = app["instances"]!.GetValue<int>();
            var running = app["tasksRunning"]?.GetValue<int>() ?? -1;
            var healthy = app["tasksHealthy"]?.GetValue<int>() ?? -1;
            var staged = app["tasksStaged"]?.GetValue<int>() ?? 0;
            var deployments = (app["deployments"] as JsonArray)?.Count ?? 0;
            if (running != instances || healthy != instances || staged != 0 || deployments != 0)
            {
                problems.Add($"{app["id"]}: instances {instances}, running {running}, healthy {healthy}, staged {staged}, deployments {deployments}");
            }
        }

        return problems;
    }

    private static string Cut(string? text) => text is null ? "" : text.Length > 200 ? text[..200] : text;
}
