namespace OrleansDcos.NodeDaemon.Sandboxes;

/// <summary>
/// Which sandboxes to remove, as Mesos' agent garbage-collects them (<c>--gc_delay</c>, <c>--gc_disk_headroom</c>):
/// a sandbox of a task that no longer lives goes once it is older than the delay, and the delay shrinks as the disk
/// fills — <c>delay × max(0, 1 − headroom − used fraction)</c> — so a full disk is cleared of ended tasks at once.
/// Sandboxes of live tasks always stay. Pure.
/// </summary>
public static class SandboxGc
{
    /// <summary>The age past which an ended task's sandbox goes, for a disk <paramref name="usedFraction"/> full.</summary>
    public static TimeSpan MaxAge(TimeSpan delay, double headroom, double usedFraction) =>
        delay * Math.Max(0, 1 - headroom - Math.Clamp(usedFraction, 0, 1));

    /// <summary>The names of the sandboxes to remove now.</summary>
    public static IReadOnlyList<string> Collect(IEnumerable<SandboxAge> sandboxes, IReadOnlySet<string> live, DateTimeOffset now, TimeSpan delay, double headroom, double usedFraction)
    {
        var maxAge = MaxAge(delay, headroom, usedFraction);
        return sandboxes
            .Where(s => !live.Contains(s.Name) && now - s.LastChange >= maxAge)
            .OrderBy(s => s.LastChange)
            .Select(s => s.Name)
            .ToList();
    }
}
