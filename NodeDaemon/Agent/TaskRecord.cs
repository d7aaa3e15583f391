using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.NodeDaemon.Containerizers.Process;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>What the daemon keeps per task on disk: the launch, the container to find again, the last state.</summary>
public sealed record TaskRecord(TaskSpec Spec, IReadOnlyList<int> Ports, ContainerCheckpoint? Container, TaskState State, string? DockerId = null);
