using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.NodeDaemon.Containerizers.Process;

namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>What the daemon keeps per task on disk: the launch, the container to find again, the last state, the GPUs it holds.</summary>
public sealed record TaskRecord(TaskSpec Spec, IReadOnlyList<int> Ports, ContainerCheckpoint? Container, TaskState State, string? DockerId = null, IReadOnlyList<int>? GpuDevices = null);
