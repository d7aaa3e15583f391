using Orleans;
using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using System.Text.Json.Serialization;

namespace OrleansDcos.Grains.Master;

/// <summary>An agent's standing in the master.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentStatus>))]
public enum AgentStatus
{
    /// <summary>Never registered (or unknown).</summary>
    Unknown,

    /// <summary>Registered and heard from within the silence bound: offered.</summary>
    Active,

    /// <summary>Registered, but told to drain: not offered; its tasks are being killed.</summary>
    Draining,

    /// <summary>Registered, in maintenance (drained): not offered.</summary>
    Maintenance,

    /// <summary>Silent past the bound, or its link broke and it did not come back: not offered, tasks UNREACHABLE.</summary>
    Unreachable,

    /// <summary>Removed by the operator: never offered again, its tasks are GONE. Final.</summary>
    Gone,
}

/// <summary>What a link receives when it polls: the commands after its cursor, or a request to register again.</summary>
[GenerateSerializer]
[Alias("dcos.AgentCommandBatch")]
public sealed record AgentCommandBatch(
    [property: JsonPropertyName("cursor")] long Cursor,
    [property: JsonPropertyName("commands")] IReadOnlyList<AgentCommand> Commands,
    [property: JsonPropertyName("reregister")] bool Reregister = false);

/// <summary>The master's view of one agent (operator API, <c>/master/slaves</c>).</summary>
[GenerateSerializer]
[Alias("dcos.AgentSnapshot")]
public sealed record AgentSnapshot(
    AgentInfo Info,
    AgentStatus Status,
    bool Connected,
    double RegisteredAt,
    double? UnreachableSince,
    IReadOnlyList<AgentTask> Tasks);

/// <summary>One task status as the task-status stream carries it: the update and the agent it came from.</summary>
[GenerateSerializer]
[Alias("dcos.TaskStatusEvent")]
public sealed record TaskStatusEvent(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("status")] TaskStatusUpdate Status,
    [property: JsonPropertyName("source")] string Source);

/// <summary>Names shared by the master's grains and streams.</summary>
public static class MasterStreams
{
    /// <summary>The durable stream namespace of task status events.</summary>
    public const string TaskStatusNamespace = "task-status";

    /// <summary>The key of the one stream every task status change is published on.</summary>
    public const string AllTasksKey = "all";

    /// <summary><see cref="TaskStatusEvent.Source"/> of updates the agent sent.</summary>
    public const string SourceAgent = "SOURCE_AGENT";

    /// <summary><see cref="TaskStatusEvent.Source"/> of updates the master made (agent lost, reconciliation, launch refused).</summary>
    public const string SourceMaster = "SOURCE_MASTER";
}
