using Orleans;
using Orleans.Concurrency;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// Chronos as a framework of the master: it places queued runs on offers (constraints, resources, roles), has each job
/// claim its task before launching, routes status updates to the jobs and acknowledges them once recorded, kills and
/// reconciles tasks. Its queue is soft state: jobs queue their runs again when it restarts.
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

    /// <summary>Keeps the scheduler active and subscribed.</summary>
    Task Ping();
}
