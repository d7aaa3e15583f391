namespace OrleansDcos.Scheduling.Placement;

/// <summary>The constant reasons an agent is rejected for a task (constraint reasons come from <see cref="Constraints.Constraint.Reason"/>).</summary>
public static class RejectReasons
{
    /// <summary>The agent has too little of scalar resource <paramref name="name"/> in the accepted roles.</summary>
    public static string Insufficient(string name) => name switch
    {
        "cpus" => InsufficientCpus,
        "mem" => InsufficientMem,
        "disk" => InsufficientDisk,
        "gpus" => InsufficientGpus,
        _ => "insufficient " + name,
    };

    /// <summary>Too few cpus.</summary>
    public const string InsufficientCpus = "insufficient cpus";

    /// <summary>Too little memory.</summary>
    public const string InsufficientMem = "insufficient mem";

    /// <summary>Too little disk.</summary>
    public const string InsufficientDisk = "insufficient disk";

    /// <summary>Too few GPUs.</summary>
    public const string InsufficientGpus = "insufficient gpus";

    /// <summary>Too few free host ports.</summary>
    public const string InsufficientPorts = "insufficient ports";

    /// <summary>The agent has GPUs and the task uses none: they are kept for tasks that do (Marathon's restricted GPU scheduling).</summary>
    public const string DeclinedScarceResources = "declined scarce resources (GPUs)";

    /// <summary>A required host port is not free.</summary>
    public const string RequiredPortsUnavailable = "required ports unavailable";
}
