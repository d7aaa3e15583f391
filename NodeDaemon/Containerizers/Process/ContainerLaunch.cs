using OrleansDcos.NodeDaemon.Isolation;

namespace OrleansDcos.NodeDaemon.Containerizers.Process;

/// <summary>One container to start.</summary>
/// <param name="ContainerId">Unique for ever on this agent (names its cgroup and run directory).</param>
/// <param name="Sandbox">The task's working directory; its stdout and stderr are appended to files there.</param>
/// <param name="Command">What to run.</param>
/// <param name="Environment">The whole environment of the task (nothing of the daemon's leaks in but PATH when absent).</param>
/// <param name="Limits">Resource limits, or null for none.</param>
/// <param name="User">A user to run as (the sandbox is given to them), or null for the daemon's user.</param>
/// <param name="Mounts">Directories bind-mounted over directories of the sandbox, in a mount namespace of the task's own.</param>
public sealed record ContainerLaunch(
    string ContainerId,
    string Sandbox,
    ContainerCommand Command,
    IReadOnlyDictionary<string, string> Environment,
    CgroupLimits? Limits,
    string? User = null,
    IReadOnlyList<Volumes.VolumeMount>? Mounts = null);
