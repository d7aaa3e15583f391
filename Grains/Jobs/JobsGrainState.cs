namespace OrleansDcos.Grains.Jobs;

/// <summary>What the jobs root keeps: every job's name and parents.</summary>
public sealed class JobsGrainState
{
    /// <summary>Each job's parents (empty for a scheduled job).</summary>
    public Dictionary<string, IReadOnlyList<string>> Jobs { get; set; } = new(StringComparer.Ordinal);
}
