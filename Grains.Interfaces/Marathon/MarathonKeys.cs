namespace OrleansDcos.Grains.Marathon;

/// <summary>Keys and naming of Marathon's grains and tasks.</summary>
public static class MarathonKeys
{
    /// <summary>The root grain's key.</summary>
    public const string Root = "/";

    /// <summary>The scheduler grain's key.</summary>
    public const string Scheduler = "marathon";

    /// <summary>Marathon's framework id at the master.</summary>
    public const string FrameworkId = "marathon";

    /// <summary>A new task id for <paramref name="appId"/>: <c>group_app.&lt;uuid&gt;</c> (app ids never hold '_').</summary>
    public static string NewTaskId(string appId) => $"{appId.TrimStart('/').Replace('/', '_')}.{Guid.NewGuid():N}";

    /// <summary>A new pod instance id: the pod's path with '_' and <c>instance-</c> plus a uuid (Marathon's form).</summary>
    public static string NewInstanceId(string podId) => $"{podId.TrimStart('/').Replace('/', '_')}.instance-{Guid.NewGuid():N}";

    /// <summary>The task id of container <paramref name="container"/> of pod instance <paramref name="instanceId"/>.</summary>
    public static string PodTaskId(string instanceId, string container) => $"{instanceId}.{container}";

    /// <summary>The pod instance a task id belongs to (<c>pod.instance-…</c> of <c>pod.instance-….web</c>), or null for an app's task.</summary>
    public static string? InstanceOf(string taskId)
    {
        var marker = taskId.LastIndexOf(".instance-", StringComparison.Ordinal);
        var end = marker + ".instance-".Length + 32;
        return marker > 0 && taskId.Length > end + 1 && taskId[end] == '.' && !taskId.AsSpan(marker + ".instance-".Length, 32).ContainsAnyExcept("0123456789abcdef")
            ? taskId[..end]
            : null;
    }

    /// <summary>The app (or pod) a task id belongs to, or null when it is not a Marathon task id.</summary>
    public static string? AppIdOf(string taskId)
    {
        taskId = InstanceOf(taskId) ?? taskId;
        var dot = taskId.LastIndexOf('.');
        return dot <= 0 ? null : "/" + taskId[..dot].Replace('_', '/');
    }

    /// <summary>The Mesos task name of an app: its path reversed and joined by dots (<c>/prod/web</c> → <c>web.prod</c>).</summary>
    public static string TaskNameOf(string appId) => string.Join('.', appId.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());

    /// <summary>An ISO-8601 UTC timestamp with milliseconds, Marathon's version format.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Marathon's timestamp of a Mesos one (unix seconds, as statuses carry them).</summary>
    public static string Timestamp(double unixSeconds) => Timestamp(DateTimeOffset.FromUnixTimeMilliseconds((long)(unixSeconds * 1000)));

    /// <summary>A Marathon timestamp read back (UTC when it names no offset), or null when it is absent or not one.</summary>
    public static DateTimeOffset? ParseTimestamp(string? timestamp) =>
        DateTimeOffset.TryParse(timestamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
