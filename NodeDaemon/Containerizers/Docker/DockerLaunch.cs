using OrleansDcos.NodeDaemon.Containerizers.Process;

namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

/// <summary>What a Docker task runs.</summary>
/// <param name="ContainerId">The agent's id for the container (its Docker name is <c>orleansdcos-{ContainerId}</c>).</param>
/// <param name="TaskId">The task (a label, so the daemon finds its containers again).</param>
/// <param name="Image">The image; it must be present unless <paramref name="ForcePull"/>.</param>
/// <param name="ForcePull">Pull the image first (a clear failure when no registry answers).</param>
/// <param name="Command">The command: a shell line, an argv, or null for the image's own.</param>
/// <param name="Sandbox">The task's sandbox on the host: mounted at <c>/mnt/mesos/sandbox</c>; stdout and stderr are copied there.</param>
public sealed record DockerLaunch(
    string ContainerId,
    string TaskId,
    string Image,
    bool ForcePull,
    ContainerCommand? Command,
    string Sandbox,
    IReadOnlyDictionary<string, string> Environment,
    double Cpus,
    long MemoryBytes,
    IReadOnlyList<string> Binds);
