namespace OrleansDcos.Grains.Marathon.Validation;

/// <summary>
/// Bounds on what an app may ask for (settings in the <c>Marathon</c> section, named in every refusal), and the id
/// bounds that keep every name derived from an app id valid: its task ids (<c>group_app.&lt;32 hex&gt;</c>) within
/// Mesos' 255 characters, sandbox and journal file names, cgroup and container names, and DNS labels.
/// </summary>
/// <param name="MaxInstancesPerApp">Instances one app may ask for (<c>Marathon:MaxInstancesPerApp</c>).</param>
/// <param name="MaxCpus">Cpus per instance (<c>Marathon:MaxInstanceCpus</c>).</param>
/// <param name="MaxMem">Memory per instance, MiB (<c>Marathon:MaxInstanceMem</c>).</param>
/// <param name="MaxDisk">Disk per instance, MiB (<c>Marathon:MaxInstanceDisk</c>).</param>
/// <param name="MaxGpus">Gpus per instance (<c>Marathon:MaxInstanceGpus</c>).</param>
public sealed record AppLimits(
    int MaxInstancesPerApp = 10_000,
    double MaxCpus = 1024,
    double MaxMem = 4 * 1024 * 1024,
    double MaxDisk = 1024d * 1024 * 1024,
    int MaxGpus = 64)
{
    /// <summary>The longest app or group id: its task ids (id + 33 characters) stay within Mesos' 255.</summary>
    public const int MaxIdLength = 200;

    /// <summary>The longest segment of an id: a DNS label.</summary>
    public const int MaxSegmentLength = 63;

    /// <summary>The defaults (generous enough for 10,000 instances per app and a million tasks per cluster).</summary>
    public static AppLimits Default { get; } = new();
}
