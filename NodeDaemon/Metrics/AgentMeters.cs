using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OrleansDcos.NodeDaemon.Agent;

namespace OrleansDcos.NodeDaemon.Metrics;

/// <summary>
/// Every running daemon's live tasks as observable instruments, read from their cgroups at each scrape: CPU time,
/// memory, throttling and OOM kills, with the cpus and memory each was given; labelled by agent, framework and task.
/// </summary>
public static class AgentMeters
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "OrleansDcos.Agent";

    private static readonly ConcurrentDictionary<AgentDaemon, byte> Daemons = new();
    private static readonly Meter Meter = new(MeterName);

    static AgentMeters()
    {
        Meter.CreateObservableCounter("mesos.agent.task.cpu.usage", () => Each(u => u.Stats.CpuUsage.TotalSeconds), "s", "CPU time the task's processes used");
        Meter.CreateObservableCounter("mesos.agent.task.cpu.throttled", () => Each(u => u.Stats.ThrottledTime.TotalSeconds), "s", "Time the task was throttled at its CPU quota");
        Meter.CreateObservableGauge("mesos.agent.task.memory.usage", () => Each(u => (double)u.Stats.MemoryBytes), "By", "Memory the task uses now");
        Meter.CreateObservableCounter("mesos.agent.task.oom.kills", () => Each(u => (double)u.Stats.OomKills), "{kill}", "Processes of the task the kernel killed at its memory limit");
        Meter.CreateObservableGauge("mesos.agent.task.cpu.limit", () => Each(u => u.Cpus), "{cpu}", "The cpus the task was given");
        Meter.CreateObservableGauge("mesos.agent.task.memory.limit", () => Each(u => u.MemoryBytes), "By", "The memory the task was given");
        Meter.CreateObservableGauge("mesos.agent.tasks.measured", () => Daemons.Keys.Select(d => new Measurement<long>(d.Usage().Count,
            new KeyValuePair<string, object?>("agent_id", d.AgentId))), "{task}", "Live tasks whose cgroup the daemon reads");
    }

    /// <summary>Includes <paramref name="daemon"/>'s tasks from now on.</summary>
    public static void Track(AgentDaemon daemon) => Daemons[daemon] = 0;

    /// <summary>Leaves <paramref name="daemon"/> out from now on.</summary>
    public static void Untrack(AgentDaemon daemon) => Daemons.TryRemove(daemon, out _);

    private static IEnumerable<Measurement<double>> Each(Func<TaskUsage, double> value) =>
        Daemons.Keys.SelectMany(d => d.Usage()).Select(u => new Measurement<double>(value(u),
            new KeyValuePair<string, object?>("agent_id", u.AgentId),
            new KeyValuePair<string, object?>("framework_id", u.FrameworkId),
            new KeyValuePair<string, object?>("task_id", u.TaskId)));
}
