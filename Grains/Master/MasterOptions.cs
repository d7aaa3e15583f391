namespace OrleansDcos.Grains.Master;

/// <summary>Settings of the master's grains (configuration section <c>Master</c>).</summary>
public sealed class MasterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Master";

    /// <summary>How often a daemon heartbeats (told in REGISTERED). Default 1 s.</summary>
    public TimeSpan AgentHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence after which an agent is UNREACHABLE (Mesos: 75 s). Default 10 s.</summary>
    public TimeSpan AgentUnreachableTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After an agent's link closes (the daemon died, or the network between them broke) it is UNREACHABLE this
    /// soon unless it registers again; a live daemon whose silo died reconnects well within it. Default 5 s.
    /// </summary>
    public TimeSpan AgentDisconnectedTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The shared secret a daemon presents to enroll (<c>Authorization: Bearer …</c>); null refuses remote daemons.</summary>
    public string? AgentToken { get; set; }

    /// <summary>Allocation cycles run this often, and shortly after any change. Default 1 s (Mesos' default).</summary>
    public TimeSpan AllocationInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long after a change the next cycle runs, so that bursts of changes share one cycle. Default 10 ms.</summary>
    public TimeSpan AllocationBatchDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>An offer not answered in this time is rescinded. Default 30 s; zero: never.</summary>
    public TimeSpan OfferTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Ended tasks each agent keeps for the operator API (<c>completed_tasks</c>), newest first out; not persisted.
    /// Default 100 (a bound on memory: a few KB an agent at most).
    /// </summary>
    public int MaxCompletedTasksPerAgent { get; set; } = 100;

    /// <summary>Ended tasks listed per framework in <c>/master/state</c> (Mesos' <c>max_completed_tasks_per_framework</c>, default 1000).</summary>
    public int MaxCompletedTasksPerFramework { get; set; } = 1000;

    /// <summary>Operator API SUBSCRIBE streams one silo serves at once (each follows the task-status stream); more are refused with 503. Default 100.</summary>
    public int MaxOperatorSubscribers { get; set; } = 100;

    /// <summary>HEARTBEAT events to subscribed frameworks (Mesos: 15 s).</summary>
    public TimeSpan FrameworkHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>What is wrong with the settings, each naming the setting and its value; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[]
        {
            (nameof(AgentHeartbeatInterval), AgentHeartbeatInterval), (nameof(AgentUnreachableTimeout), AgentUnreachableTimeout),
            (nameof(AgentDisconnectedTimeout), AgentDisconnectedTimeout), (nameof(AllocationInterval), AllocationInterval),
            (nameof(FrameworkHeartbeatInterval), FrameworkHeartbeatInterval),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"Master:{name} must be positive (is {value})");
            }
        }

        if (AgentUnreachableTimeout <= AgentHeartbeatInterval)
        {
            problems.Add($"Master:{nameof(AgentUnreachableTimeout)} ({AgentUnreachableTimeout}) must be longer than {nameof(AgentHeartbeatInterval)} ({AgentHeartbeatInterval})");
        }

        if (MaxOperatorSubscribers < 1)
        {
            problems.Add($"Master:{nameof(MaxOperatorSubscribers)} must be at least 1 (is {MaxOperatorSubscribers})");
        }

        if (MaxCompletedTasksPerAgent < 0 || MaxCompletedTasksPerFramework < 0)
        {
            problems.Add($"Master:{nameof(MaxCompletedTasksPerAgent)} and {nameof(MaxCompletedTasksPerFramework)} may not be negative (are {MaxCompletedTasksPerAgent} and {MaxCompletedTasksPerFramework})");
        }

        if (AllocationBatchDelay < TimeSpan.Zero || OfferTimeout < TimeSpan.Zero)
        {
            problems.Add($"Master:{nameof(AllocationBatchDelay)} and {nameof(OfferTimeout)} may not be negative (are {AllocationBatchDelay} and {OfferTimeout})");
        }

        return problems;
    }
}
