using Orleans;
using Orleans.Concurrency;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// The jobs root (one): the names and parent links of all jobs (for listings, the graph and dependency triggers), and
/// the clock — each job reports when it next needs to be called, and the root calls it then. After a failover the
/// root wakes every job, so a due time is handled within seconds wherever the job's grain lived.
/// </summary>
[Alias("dcos.IJobsGrain")]
public interface IJobsGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces a job; its parents must exist and make no cycle (400 naming the problem).</summary>
    Task Put(JobDefinition definition);

    /// <summary>Removes a job; refused while it is a parent of others.</summary>
    Task Delete(string name);

    /// <summary>Each job's parents, by name.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> Links();

    /// <summary>A job wants to be called (<see cref="IJobGrain.Tick"/>) at <paramref name="at"/>, or no more when null.</summary>
    [OneWay]
    Task Wake(string name, DateTimeOffset? at);

    /// <summary>A job succeeded at <paramref name="at"/>: its children hear of it.</summary>
    [OneWay]
    Task Succeeded(string name, DateTimeOffset at);

    /// <summary>The scheduler restarted: every job resyncs its launch.</summary>
    [OneWay]
    Task SchedulerRestarted();

    /// <summary>Keeps the root active.</summary>
    Task Ping();
}
