namespace OrleansDcos.Grains.Marathon.Scheduler;

/// <summary>How Marathon registers as a framework of the master (what <c>/v2/info</c>'s <c>marathon_config</c> reports too).</summary>
public static class MarathonFramework
{
    /// <summary>How long the master keeps Marathon's tasks while it is away (a week, as Marathon's default).</summary>
    public static readonly TimeSpan FailoverTimeout = TimeSpan.FromDays(7);
}
