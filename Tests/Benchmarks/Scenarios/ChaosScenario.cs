using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support.Chaos;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>chaos: the soak of <see cref="ChaosRun"/> — 10 minutes (2 with --small) of SIGKILLs under deployments, jobs and an external framework; every violation count must be 0.</summary>
internal sealed class ChaosScenario : IScenario
{
    public string Name => "chaos";

    public string Description => "3 silos + 20 node daemons, SIGKILL every 10 s and a PostgreSQL crash under Marathon, Chronos and a v1 framework for 10 min (2 --small): violations (all must be 0)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var report = await ChaosRun.RunAsync(TimeSpan.FromMinutes(small ? 2 : 10), daemons: 20, seed: 27, Console.WriteLine, cancellationToken);
        return new ScenarioResult()
            .Add("lost_writes", report.LostWrites.Count)
            .Add("capacity_broken", report.CapacityBroken.Count)
            .Add("running_twice", report.RunningTwice.Count)
            .Add("job_runs_not_once", report.JobRunsNotOnce.Count)
            .Add("updates_never_received", report.UpdatesNeverReceived.Count)
            .Add("not_converged", report.NotConverged.Count)
            .Add("crashed", report.Crashed.Count)
            .Add("converge_s", report.ConvergeSeconds, 1)
            .Add("silo_kills", report.Kills.Silos)
            .Add("daemon_kills", report.Kills.Daemons)
            .Add("postgres_restarts", report.Kills.Postgres)
            .Add("app_writes", report.AppWrites.Sent)
            .Add("app_writes_acked", report.AppWrites.Acknowledged)
            .Add("app_writes_unknown", report.AppWrites.Unknown)
            .Add("jobs", report.Jobs.Jobs)
            .Add("job_runs", report.Jobs.Runs)
            .Add("job_skips", report.Jobs.Skipped)
            .Add("framework_tasks", report.Framework.Tasks)
            .Add("framework_subscriptions", report.Framework.Subscriptions)
            .Add("status_updates", report.Events.StatusUpdates)
            .Add("event_attachments", report.Events.Attachments);
    }
}
