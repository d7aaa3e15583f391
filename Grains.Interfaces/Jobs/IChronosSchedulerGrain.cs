using Orleans;
using Orleans.Concurrency;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// Chronos as a framework of the master: it places queued runs on offers (constraints, resources, roles), records each
/// round's tasks launched before launching them (and tells their jobs), routes status updates to the jobs and
/// acknowledges them once recorded, kills and reconciles tasks. Its queue is soft state: jobs queue their runs again
/// when it restarts, and a run whose task it recorded launched is told to its job instead of launched again.
/// </summary>
[Alias("dcos.IChronosSchedulerGrain")]
public interface IChronosSchedulerGrain : IGrainWithStringKey
{
    /// <summary>Queues a run's task (again: the same task id replaces).</summary>
    [OneWay]
    Task Enqueue(JobLaunch launch);

    /// <summary>Drops a queued task.</summary>
    [OneWay]
    Task Dequeue(string taskId);

    /// <summary>Kills a task.</summary>
    [OneWay]
    Task Kill(string taskId, string? agentId);

    /// <summary>Asks the master for a task's state (its answer arrives as a status update).</summary>
    [OneWay]
    Task Reconcile(string taskId, string? agentId);

    /// <summary>The queued tasks.</summary>
    Task<IReadOnlyList<JobLaunch>> Queue();

    /// <summary>
    /// The tasks of <paramref name="job"/> launched and not yet known recorded by it, by task id: a job activated
    /// after losing a run it had queued (its silo died before its state was written) takes them back.
    /// </summary>
    Task<IReadOnlyDictionary<string, LaunchedTask>> LaunchedOf(string job);

    /// <summary>Keeps the scheduler active and subscribed.</summary>
    Task Ping();
}
