using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Jobs;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;
using static OrleansDcos.Tests.Support.Jobs.ChronosApi;

namespace OrleansDcos.Tests.EndToEnd.Jobs;

/// <summary>Chronos jobs through the embedded silo: its node daemon runs each run as a real process.</summary>
[Trait("Area", "Jobs")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ChronosJobTests
{
    private static JsonObject Job(string name, string command, string? schedule = null, params string[] parents)
    {
        var job = new JsonObject { ["name"] = name, ["command"] = command, ["cpus"] = 0.1, ["mem"] = 32, ["disk"] = 0 };
        if (schedule is not null)
        {
            job["schedule"] = schedule;
        }

        if (parents.Length > 0)
        {
            job["parents"] = new JsonArray([.. parents.Select(p => (JsonNode)p)]);
        }

        return job;
    }

    [Fact]
    public async Task A_job_every_two_seconds_runs_on_time_failures_are_retried_and_dependents_run_after_their_parents()
    {
        await using var silo = await SiloProcess.StartAsync("--Jobs:RetryDelay=00:00:01");
        using var api = new ChronosApi(silo.BaseAddress, () => silo.OutputTail(60));
        await using var events = await SseCollector.AttachAsync(silo.BaseAddress);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeMilliseconds());

        await api.PutJobAsync(Job("tick", "echo tick", $"R/{At(start)}/PT2S"));
        await api.PutJobAsync(Job("flaky", "exit 3", $"R1/{At(start)}/PT1H"));
        Assert.Equal(2, (await api.JobAsync("flaky"))["retries"]!.GetValue<int>()); // Chronos' default

        // A → B → C, and D after both A and X (X runs four seconds after A).
        await api.PutJobAsync(Job("a", "echo a", $"R1/{At(start)}/PT1H"));
        await api.PutJobAsync(Job("b", "echo b", null, "a"));
        await api.PutJobAsync(Job("c", "echo c", null, "b"));
        await api.PutJobAsync(Job("x", "echo x", $"R1/{At(start.AddSeconds(4))}/PT1H"));
        await api.PutJobAsync(Job("d", "echo d", null, "a", "x"));

        // Every due time once, on time, each its own task.
        var ticks = await api.WaitForRunsAsync("tick", "succeeded", 3);
        Assert.Equal(ticks.Count, ticks.Select(r => r["taskId"]!.GetValue<string>()).Distinct().Count());
        Assert.All(ticks.Zip(ticks.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(2), Time(p.Second, "due") - Time(p.First, "due")));
        Assert.Equal(start, Time(ticks[0], "due"));
        Assert.All(ticks, r => Assert.InRange(Time(r, "startedAt") - Time(r, "due"), TimeSpan.Zero, TimeSpan.FromSeconds(2)));

        // The event bus tells each job's changes and each run's states.
        await Poll.UntilAsync(() => Task.FromResult(RunEvents(events, ticks[0]["taskId"]!.GetValue<string>()).SequenceEqual(["queued", "running", "succeeded"])),
            TimeSpan.FromSeconds(10), () => $"queued, running, succeeded of the first tick on the event bus (saw {string.Join(", ", RunEvents(events, ticks[0]["taskId"]!.GetValue<string>()))})");
        Assert.Contains(events.Events, e => e.Type == "job_changed_event" && e.Data["jobName"]!.GetValue<string>() == "tick" && e.Data["change"]!.GetValue<string>() == "created");

        // The failing command: the first attempt and two retries, then one failed run.
        var failed = Assert.Single(await api.WaitForRunsAsync("flaky", "failed", 1));
        Assert.Equal(2, failed["attempt"]!.GetValue<int>());
        Assert.Equal(2, events.Events.Count(e => e.Type == "job_run_event" && e.Data["jobName"]!.GetValue<string>() == "flaky" && e.Data["state"]!.GetValue<string>() == "retrying"));
        Assert.Contains("exited with code 3", failed["message"]!.GetValue<string>());
        Assert.Equal(1, (await api.JobAsync("flaky"))["errorCount"]!.GetValue<int>());

        // The chain in order; D only once X succeeded too.
        var a = Assert.Single(await api.WaitForRunsAsync("a", "succeeded", 1));
        var b = Assert.Single(await api.WaitForRunsAsync("b", "succeeded", 1));
        var c = Assert.Single(await api.WaitForRunsAsync("c", "succeeded", 1));
        var x = Assert.Single(await api.WaitForRunsAsync("x", "succeeded", 1));
        var d = Assert.Single(await api.WaitForRunsAsync("d", "succeeded", 1));
        Assert.True(Time(b, "startedAt") >= Time(a, "finishedAt"), "b started before a finished");
        Assert.True(Time(c, "startedAt") >= Time(b, "finishedAt"), "c started before b finished");
        Assert.True(Time(d, "startedAt") >= Time(x, "finishedAt"), "d started before x finished");
        Assert.Equal("dependency", d["trigger"]!.GetValue<string>());

        // The API: a summary, a graph, a 400 naming the field, a 404, and a parent that cannot go while it has children.
        var summary = (await api.SendAsync(HttpMethod.Get, "/jobs/summary")).Body!["jobs"]!.AsArray();
        Assert.Equal("failure", summary.Single(j => j!["name"]!.GetValue<string>() == "flaky")!["state"]!.GetValue<string>());
        var (badStatus, bad) = await api.SendAsync(HttpMethod.Post, "/iso8601", new JsonObject { ["name"] = "bad", ["command"] = "true", ["schedule"] = "R/2026-01-01T00:00:00Z/PT0S" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("/schedule", bad!["details"]![0]!["path"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Put, "/job/nothing")).Status);
        var (parentStatus, parent) = await api.SendAsync(HttpMethod.Delete, "/job/a");
        Assert.Equal(HttpStatusCode.BadRequest, parentStatus);
        Assert.Contains("is a parent of b, d", parent!["details"]![0]!["errors"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, "/job/tick")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, "/job/tick")).Status);
    }

    private static List<string> RunEvents(SseCollector events, string taskId) => [.. events.Events
        .Where(e => e.Type == "job_run_event" && e.Data["taskId"]!.GetValue<string>() == taskId)
        .Select(e => e.Data["state"]!.GetValue<string>())];

    [Fact]
    public async Task Overlapping_runs_are_skipped_a_run_past_maxCompletionTime_is_killed_and_an_async_job_succeeds_when_told()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new ChronosApi(silo.BaseAddress, () => silo.OutputTail(60));
        var start = DateTimeOffset.UtcNow.AddSeconds(2);

        var overlap = Job("overlap", "sleep 3", $"R/{At(start)}/PT1S");
        await api.PutJobAsync(overlap);
        var slow = Job("slow", "sleep 60", $"R1/{At(start)}/PT1H");
        slow["maxCompletionTime"] = 1500;
        slow["retries"] = 0;
        await api.PutJobAsync(slow);
        var report = Job("report", "true", $"R1/{At(start)}/PT1H");
        report["async"] = true;
        await api.PutJobAsync(report);
        var off = Job("off", "true", $"R/{At(start)}/PT1S");
        off["disabled"] = true;
        await api.PutJobAsync(off);

        // concurrent is false: due times while a run is alive are skipped, saying why, and never overlap.
        var skipped = await api.WaitForRunsAsync("overlap", "skipped", 2);
        Assert.All(skipped, r => Assert.Equal("the previous run is still alive (concurrent is false)", r["message"]!.GetValue<string>()));
        var done = await api.WaitForRunsAsync("overlap", "succeeded", 2, TimeSpan.FromSeconds(40));
        Assert.True(Time(done[1], "startedAt") >= Time(done[0], "finishedAt"), "two runs overlapped");

        // Killed once past its limit: a failed run, not a retry.
        var killed = Assert.Single(await api.WaitForRunsAsync("slow", "failed", 1));
        Assert.StartsWith("TASK_KILLED", killed["message"]!.GetValue<string>());
        Assert.InRange(Time(killed, "finishedAt") - Time(killed, "startedAt"), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20));

        // Async: the task's end is not the run's success; the job reports it.
        await Poll.UntilAsync(async () => (await api.JobAsync("report"))["currentRun"]?["state"]?.GetValue<string>() == "finishing", TimeSpan.FromSeconds(20), "the async run's task finished");
        Assert.Empty(await api.RunsAsync("report", "succeeded"));
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Put, "/job/success/report")).Status);
        Assert.Single(await api.RunsAsync("report", "succeeded"));

        // A disabled job was due every second all along and never ran (nor was anything skipped for it).
        Assert.Empty(await api.RunsAsync("off"));
        Assert.Empty((await api.JobAsync("off"))["nextDue"]!.AsArray());
    }

    [Fact]
    public async Task A_silo_down_past_a_due_time_and_its_epsilon_records_a_skip_never_a_late_run_and_jobs_go_on_after_the_restart()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new ChronosApi(silo.BaseAddress, () => silo.OutputTail(60));
        var job = Job("nightly", "echo ran", $"R/{At(DateTimeOffset.UtcNow.AddSeconds(3))}/PT4S");
        job["epsilon"] = "PT1S";
        await api.PutJobAsync(job);
        await api.WaitForRunsAsync("nightly", "succeeded", 1);

        // Down for 9 s: at least two due times pass, each more than epsilon before the silo is back.
        await silo.RestartAsync(TimeSpan.FromSeconds(9));

        var skipped = await api.WaitForRunsAsync("nightly", "skipped", 2, TimeSpan.FromSeconds(60));
        Assert.All(skipped, r => Assert.Equal("later than epsilon (PT1S) after its due time", r["message"]!.GetValue<string>()));
        var runs = await api.WaitForRunsAsync("nightly", "succeeded", 2, TimeSpan.FromSeconds(60));
        Assert.All(runs, r => Assert.InRange(Time(r, "startedAt") - Time(r, "due"), TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        var all = await api.RunsAsync("nightly");
        Assert.Equal(all.Count, all.Select(r => r!["due"]!.GetValue<string>()).Distinct().Count()); // each due time once, run or skipped
    }
}
