using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>
/// A volume of a task's container whose source is a sandbox path (Mesos' <c>SANDBOX_PATH</c>) or a host path: seen by
/// the task at <see cref="ContainerPath"/>. <c>PARENT</c> sandbox paths are in the directory its task group shares (the
/// task's own sandbox when it has no group) — how the tasks of a group (a pod) share ephemeral volumes; <c>SELF</c>
/// paths are in its own sandbox; <c>HOST</c> paths are absolute paths of the agent.
/// </summary>
/// <param name="Type">PARENT, SELF or HOST.</param>
/// <param name="Path">The relative path under the group's or the task's sandbox, or the host path.</param>
/// <param name="ContainerPath">Where the task sees it: relative to its sandbox (a process task's only choice), or absolute in a Docker container.</param>
/// <param name="Mode">RW or RO.</param>
[GenerateSerializer]
[Alias("dcos.SandboxVolumeSpec")]
public sealed record SandboxVolumeSpec(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("container_path")] string ContainerPath,
    [property: JsonPropertyName("mode")] string Mode = "RW")
{
    /// <summary>The directory of the task's group.</summary>
    public const string Parent = "PARENT";

    /// <summary>The task's own sandbox.</summary>
    public const string Self = "SELF";

    /// <summary>A path of the agent.</summary>
    public const string Host = "HOST";

    /// <summary>A persistent volume of the task's group, by persistence id (a pod container's mount of a pod's persistent volume).</summary>
    public const string Persistent = "PERSISTENT";
}
