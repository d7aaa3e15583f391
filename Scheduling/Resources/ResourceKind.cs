namespace OrleansDcos.Scheduling.Resources;

/// <summary>The value type of a resource, as in Mesos.</summary>
public enum ResourceKind
{
    /// <summary>An amount: cpus, mem, disk, gpus.</summary>
    Scalar,

    /// <summary>Integer ranges: ports.</summary>
    Ranges,

    /// <summary>A set of text items.</summary>
    Set,
}
