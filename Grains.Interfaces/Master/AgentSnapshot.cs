using Orleans;
using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>The master's view of one agent (operator API, <c>/master/slaves</c>): its live tasks and the last ones that ended.</summary>
[GenerateSerializer]
[Alias("dcos.AgentSnapshot")]
public sealed record AgentSnapshot(
    AgentInfo Info,
    AgentStatus Status,
    bool Connected,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? UnreachableSince,
    IReadOnlyList<AgentTask> Tasks,
    IReadOnlyList<AgentTask>? CompletedTasks = null,
    IReadOnlyDictionary<string, IReadOnlyList<TaskStatusEntry>>? Statuses = null);
