using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.NodeDaemon.Containerizers.Process;

namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>
/// What the daemon keeps per task on disk: the launch, the container to find again, the last state, the GPUs it holds,
/// and — written before its container (a process's or Docker's) is started — the id it is started under
/// (<see cref="LaunchingContainer"/>), so a daemon that dies in the middle of the launch finds the task again instead
/// of taking it for never started.
/// </summary>
public sealed record TaskRecord(TaskSpec Spec, IReadOnlyList<int> Ports, ContainerCheckpoint? Container, TaskState State, string? DockerId = null, IReadOnlyList<int>? GpuDevices = null, string? LaunchingContainer = null);
