namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>What an app keeps across failovers.</summary>
public sealed class AppGrainState
{
    /// <summary>The definition shown (the target of the latest deployment); null once removed.</summary>
    public AppDefinition? Definition { get; set; }

    /// <summary>What the instances converge to now (a deployment step moves it to <see cref="Definition"/>); null = none.</summary>
    public AppDefinition? Applied { get; set; }

    /// <summary>Kept versions, newest first.</summary>
    public List<AppDefinition> Versions { get; set; } = [];

    /// <summary>The live instances.</summary>
    public Dictionary<string, InstanceRecord> Instances { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The deployment whose action runs here, and the action.</summary>
    public string? DeploymentId { get; set; }

    /// <summary>The running action.</summary>
    public string? DeploymentAction { get; set; }

    /// <summary>Failures since the last success or reset (the backoff exponent).</summary>
    public int Failures { get; set; }

    // Times are named apart from the unix-seconds numbers earlier versions saved (delayUntil, unreachableSince):
    // such state still reads, those numbers ignored.

    /// <summary>The time before which nothing is launched (the backoff), or null.</summary>
    public DateTimeOffset? LaunchDelayUntil { get; set; }

    /// <summary>The last failed task.</summary>
    public TaskFailureInfo? LastTaskFailure { get; set; }

    /// <summary>A resident app's reservations (with their volumes), by id.</summary>
    public Dictionary<string, ResidentReservation> Reservations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Since when each unreachable instance is unreachable.</summary>
    public Dictionary<string, DateTimeOffset> UnreachableTimes { get; set; } = new(StringComparer.Ordinal);
}
