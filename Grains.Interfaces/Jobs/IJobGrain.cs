using Orleans;
using Orleans.Concurrency;
using OrleansDcos.Grains.Master;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// One Chronos job (key: its name): its definition, its runs — each recorded durably before its task is launched —
/// its history and counters. It decides when it is due (<see cref="Tick"/>, called by the jobs root at the time it
/// reported), retries, enforces <c>maxCompletionTime</c> and <c>concurrent</c>, and runs after its parents.
/// </summary>
[Alias("dcos.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>The job, or null when there is none.</summary>
    Task<JobView?> Get();

    /// <summary>Creates or replaces the definition (a running run keeps going; the next due times follow the new schedule).</summary>
    Task Set(JobDefinition definition);

    /// <summary>Removes the job, killing its running task.</summary>
    Task Delete();

    /// <summary>Handles what is due by now: runs within epsilon, skips later ones, retries, kills overdue tasks; tells the root when to call again.</summary>
    Task Tick();

    /// <summary>Starts a run now (<c>PUT /job/{name}</c>), with extra <paramref name="arguments"/>.</summary>
    Task RunNow(IReadOnlyList<string>? arguments);

    /// <summary>
    /// The scheduler launched this task (recorded in its own state just before the ACCEPT, at <paramref name="at"/>);
    /// told again when the job queues a run the scheduler already launched. A task no run wants is killed.
    /// </summary>
    [OneWay]
    Task Launched(string taskId, string agentId, string host, DateTimeOffset at);

    /// <summary>Status updates of this job's tasks (the scheduler acknowledges them once this returns).</summary>
    Task StatusUpdates(IReadOnlyList<TaskStatusEvent> updates);

    /// <summary>A parent succeeded at <paramref name="at"/>: a dependent job runs once every parent has since its last run.</summary>
    Task ParentSucceeded(string parent, DateTimeOffset at);

    /// <summary>An async job's run reports success (<c>PUT /job/success/{name}</c>).</summary>
    Task ReportSuccess();

    /// <summary>Kills the running task (<c>DELETE /task/kill/{name}</c>); the run fails without retries.</summary>
    Task KillTasks();

    /// <summary>The scheduler came back: a queued launch is queued again, a launched one reconciled.</summary>
    Task Resync();

    /// <summary>The kept runs.</summary>
    Task<JobHistory> History();
}
