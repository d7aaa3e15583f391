using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// One chaos soak: three silos on a PostgreSQL of its own and <c>daemons</c> node daemons run Marathon apps (deployed,
/// scaled, restarted, destroyed), Chronos jobs every minute with dependents, and an external v1 framework; every 10 s
/// a random silo or daemon is killed with SIGKILL and started again after a pause, and once, halfway, PostgreSQL
/// crashes and comes back. Then the writes stop, everything is up again, and the apps must converge within 60 s; the
/// checks (<see cref="ChaosChecks"/>) run on what the workload saw.
/// </summary>
public static partial class ChaosRun
{
    /// <summary>How long the cluster has to converge after the chaos.</summary>
    public static readonly TimeSpan ConvergeWithin = TimeSpan.FromSeconds(60);

    /// <summary>Runs a soak of <paramref name="duration"/>; progress and every violation go to <paramref name="print"/>.</summary>
    public static async Task<ChaosReport> RunAsync(TimeSpan duration, int daemons, int seed, Action<string> print, CancellationToken cancellationToken)
    {
        TestEnvironment.Require(Component.Cgroups);
        var report = new ChaosReport();
        var random = new Random(seed + 1);
        using var work = new TempDirectory();
        var clock = Stopwatch.StartNew();
        await using var cluster = await ChaosCluster.StartAsync(daemons, Path.Combine(work.Path, "agents"), print, cancellationToken);
        using var http = new ChaosHttp(cluster, random);
        await WaitForAgentsAsync(http, daemons);
        print($"chaos: {cluster.Silos.Count} silos and {daemons} node daemons up in {clock.Elapsed.TotalSeconds:0} s");

        var marathon = new MarathonWorkload(http, random);
        var jobs = new JobWorkload(http, Path.Combine(work.Path, "runs"));
        await jobs.CreateInitialAsync(3, DateTimeOffset.UtcNow.AddSeconds(20));
        await using var framework = new ChaosFramework(cluster, random);
        await using var events = new EventWatch(cluster, random);

        using var stopWrites = new CancellationTokenSource();
        var loops = new[]
        {
            Every(TimeSpan.FromSeconds(2), marathon.StepAsync, stopWrites.Token),
            Every(TimeSpan.FromSeconds(30), jobs.StepAsync, stopWrites.Token),
            Every(TimeSpan.FromMilliseconds(500), framework.StepAsync, stopWrites.Token),
        };

        // The chaos draws from its own sequence: which process dies is the seed's, whatever the workload's timing.
        var chaos = new Random(seed);
        var start = DateTimeOffset.UtcNow;
        var postgresDone = false;
        while (DateTimeOffset.UtcNow - start < duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            if (!postgresDone && DateTimeOffset.UtcNow - start >= duration / 2)
            {
                postgresDone = true;
                await cluster.AllBackAsync();
                await cluster.RestartPostgresAsync(TimeSpan.FromMilliseconds(chaos.Next(2000, 6000)), cancellationToken);
                continue;
            }

            cluster.KillOne(chaos, siloShare: 0.3);
        }

        var chaosEnd = DateTimeOffset.UtcNow;
        await stopWrites.CancelAsync();
        await Task.WhenAll(loops);
        await cluster.AllBackAsync();
        print($"chaos: stopped after {cluster.SiloKills} silo kills, {cluster.DaemonKills} node daemon kills, {cluster.PostgresRestarts} PostgreSQL crash; all back {(DateTimeOffset.UtcNow - chaosEnd).TotalSeconds:0.0} s later");

        // Converge: every app running and healthy as asked, no deployment, within 60 s of the chaos' end.
        var unconverged = await UntilNoneAsync(() => ChaosChecks.UnconvergedAsync(http), chaosEnd + ConvergeWithin, cancellationToken);

        report.ConvergeSeconds = (DateTimeOffset.UtcNow - chaosEnd).TotalSeconds;
        report.NotConverged.AddRange(unconverged.Select(problem => $"{problem}; its writes: {WritesOf(marathon.Writes, problem)}"));

        print($"chaos: {(unconverged.Count == 0 ? "converged" : "NOT converged")} {report.ConvergeSeconds:0.0} s after the chaos");

        // The external framework ends its tasks; each end must reach it.
        framework.WindDown();
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < deadline && framework.Unfinished().Count > 0)
        {
            await framework.StepAsync();
            await Task.Delay(500, cancellationToken);
        }

        var masterStates = new Dictionary<string, string>(StringComparer.Ordinal);
        var (tasksStatus, tasksBody, _) = await http.ReadAsync("/master/tasks");
        if (tasksStatus == HttpStatusCode.OK)
        {
            foreach (var task in (tasksBody?["tasks"] as JsonArray ?? []).Select(t => t!.AsObject()))
            {
                masterStates[task["id"]!.GetValue<string>()] = task["state"]!.GetValue<string>();
            }
        }

        ChaosChecks.FrameworkUpdates(framework, masterStates, report);
        await ChaosChecks.AppWritesAsync(marathon.Writes, http, report);
        // Runs of due times before the end finish first (within the same minute): one not done by then is a violation.
        var inProgress = await UntilNoneAsync(() => ChaosChecks.JobsInProgressAsync(jobs, chaosEnd, http), chaosEnd + ConvergeWithin + ConvergeWithin, cancellationToken);

        report.JobRunsNotOnce.AddRange(inProgress.Select(run => $"{run} {(DateTimeOffset.UtcNow - chaosEnd).TotalSeconds:0} s after the chaos"));
        await ChaosChecks.JobsAsync(jobs, chaosEnd, http, report);
        ChaosChecks.StatusUpdates(events.Events, marathon.Writes, report);
        report.Events = (report.Events.StatusUpdates, events.Attachments);
        report.Crashed.AddRange(cluster.Crashes);
        report.Kills = (cluster.SiloKills, cluster.DaemonKills, cluster.PostgresRestarts);
        foreach (var violation in report.Violations)
        {
            print("VIOLATION " + violation);
        }

        if (report.Violations.Any())
        {
            // What the silos said about the apps, jobs and tasks the violations name, then their warnings.
            var subjects = report.Violations.SelectMany(v => SubjectPattern().Matches(v).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
            foreach (var line in cluster.SiloLinesAbout(subjects, 300).Concat(cluster.SiloProblems(200)))
            {
                print("LOG " + line);
            }
        }

        return report;
    }

    /// <summary>The writes sent to the app a problem line names (<c>/chaos/app-…: …</c>), as evidence.</summary>
    private static string WritesOf(IReadOnlyList<AppWrite> writes, string problem) => string.Join(", ", writes
        .Where(w => problem.StartsWith(w.AppId + ":", StringComparison.Ordinal))
        .Select(w => w.Describe()));

    /// <summary>
    /// Asks <paramref name="problems"/> once a second until it finds none or <paramref name="deadline"/> has passed
    /// (at least once, however late): its last answer.
    /// </summary>
    private static async Task<List<string>> UntilNoneAsync(Func<Task<List<string>>> problems, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var found = await problems();
            if (found.Count == 0 || DateTimeOffset.UtcNow >= deadline)
            {
                return found;
            }

            await Task.Delay(1000, cancellationToken);
        }
    }

    /// <summary>The names a violation mentions: apps (<c>/chaos/app-007</c>), jobs (<c>chaos-job-007</c>), framework tasks (<c>ext-0012</c>).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"/chaos/app-\d+|chaos-(?:job|child)-\d+|ext-\d+")]
    private static partial System.Text.RegularExpressions.Regex SubjectPattern();

    private static async Task WaitForAgentsAsync(ChaosHttp http, int count) =>
        await Poll.UntilAsync(async () =>
        {
            var (status, body, _) = await http.ReadAsync("/master/slaves");
            return status == HttpStatusCode.OK && (body?["slaves"] as JsonArray)?.Count == count;
        }, TimeSpan.FromSeconds(60), $"{count} agents registered");

    private static Task Every(TimeSpan interval, Func<Task> step, CancellationToken stop) => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            await step();
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    });
}
