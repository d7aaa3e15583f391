using System.Globalization;

namespace OrleansDcos.Grains.Jobs;

/// <summary>Keys and naming of the jobs' grains and tasks.</summary>
public static class JobKeys
{
    /// <summary>The jobs root grain's key.</summary>
    public const string Root = "jobs";

    /// <summary>The Chronos scheduler grain's key.</summary>
    public const string Scheduler = "chronos";

    /// <summary>Chronos' framework id at the master.</summary>
    public const string FrameworkId = "chronos";

    /// <summary>
    /// A run's task id, as Chronos names them: <c>ct:&lt;due, unix ms&gt;:&lt;attempt&gt;:&lt;job&gt;</c>. The same run and
    /// attempt always has the same id, so a launch repeated after a failover is the same task, never a second one.
    /// </summary>
    public static string TaskId(string job, DateTimeOffset due, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"ct:{due.ToUnixTimeMilliseconds()}:{attempt}:{job}");

    /// <summary>The job of a task id, or null when it is not one of <see cref="TaskId"/>.</summary>
    public static string? JobOf(string taskId) => Parse(taskId)?.Job;

    /// <summary>The job, due time and attempt a task id names, or null when it is not one of <see cref="TaskId"/>.</summary>
    public static (string Job, DateTimeOffset Due, int Attempt)? Parse(string taskId)
    {
        var parts = taskId.Split(':', 4);
        return parts.Length == 4 && parts[0] == "ct" && parts[3].Length > 0
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var due)
            && due <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
            ? (parts[3], DateTimeOffset.FromUnixTimeMilliseconds(due), attempt)
            : null;
    }
}
