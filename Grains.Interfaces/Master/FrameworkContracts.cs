using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Mesos;
using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>A framework as it subscribes (Mesos <c>FrameworkInfo</c>): no id on first subscription, its id to fail over.</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkInfo")]
public sealed record FrameworkInfo(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("user")] string User = "",
    [property: JsonPropertyName("roles")] IReadOnlyList<string>? Roles = null,
    [property: JsonPropertyName("principal")] string? Principal = null,
    [property: JsonPropertyName("failover_timeout")] double FailoverTimeoutSeconds = 0,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string>? Capabilities = null,
    [property: JsonPropertyName("hostname")] string? Hostname = null,
    [property: JsonPropertyName("webui_url")] string? WebuiUrl = null)
{
    /// <summary>The roles, <c>*</c> when none is named.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> EffectiveRoles => Roles is { Count: > 0 } ? Roles : ["*"];

    /// <summary>True when the framework understands UNREACHABLE/GONE (capability <c>PARTITION_AWARE</c>); others are told LOST.</summary>
    [JsonIgnore]
    public bool PartitionAware => Capabilities?.Contains("PARTITION_AWARE") == true;
}

/// <summary>The answer to SUBSCRIBE: the framework's id and the stream the events flow on.</summary>
[GenerateSerializer]
[Alias("dcos.Subscription")]
public sealed record Subscription(string FrameworkId, Guid StreamId, double HeartbeatIntervalSeconds);

/// <summary>
/// An offer as a framework sees it: resources (Mesos syntax) of one agent, for one of its roles, with the agent's
/// address (Mesos' <c>Offer.url</c>) and fault domain when it has one.
/// </summary>
[GenerateSerializer]
[Alias("dcos.OfferInfo")]
public sealed record OfferInfo(
    string OfferId,
    string FrameworkId,
    string AgentId,
    string Hostname,
    string Role,
    string Resources,
    string Attributes,
    string? Address = null,
    int Port = AgentInfo.DefaultPort,
    string? Region = null,
    string? Zone = null);

/// <summary>The kinds of <see cref="FrameworkEvent"/> (Mesos v1 scheduler event types).</summary>
public static class FrameworkEventTypes
{
    /// <summary>New offers.</summary>
    public const string Offers = "OFFERS";

    /// <summary>An offer is no longer valid.</summary>
    public const string Rescind = "RESCIND";

    /// <summary>A task status update.</summary>
    public const string Update = "UPDATE";

    /// <summary>An agent was lost.</summary>
    public const string Failure = "FAILURE";

    /// <summary>The framework is torn down or its subscription was replaced; the stream ends.</summary>
    public const string Error = "ERROR";
}

/// <summary>One event for a subscribed framework; <see cref="Type"/> says which fields are set.</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkEvent")]
public sealed record FrameworkEvent(
    string Type,
    IReadOnlyList<OfferInfo>? Offers = null,
    string? OfferId = null,
    TaskStatusEvent? Status = null,
    string? AgentId = null,
    string? Message = null);

/// <summary>What a subscription's stream receives when it polls: the events after its cursor; <see cref="Closed"/> ends the stream.</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkEventBatch")]
public sealed record FrameworkEventBatch(long Cursor, IReadOnlyList<FrameworkEvent> Events, bool Closed);

/// <summary>One operation of an ACCEPT: <c>LAUNCH</c> (independent tasks) or <c>LAUNCH_GROUP</c> (a task group, all or none).</summary>
[GenerateSerializer]
[Alias("dcos.OfferOperation")]
public sealed record OfferOperation(string Type, IReadOnlyList<TaskSpec> Tasks);

/// <summary>ACCEPT: use <see cref="OfferIds"/> (all on one agent) for <see cref="Operations"/>; what is left is filtered for <see cref="RefuseSeconds"/>.</summary>
[GenerateSerializer]
[Alias("dcos.AcceptCall")]
public sealed record AcceptCall(IReadOnlyList<string> OfferIds, IReadOnlyList<OfferOperation> Operations, double? RefuseSeconds = null);

/// <summary>A task named in RECONCILE (the agent is optional).</summary>
[GenerateSerializer]
[Alias("dcos.ReconcileTask")]
public sealed record ReconcileTask(string TaskId, string? AgentId = null);

/// <summary>Where the master knows a task to be (framework task index).</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkTask")]
public sealed record FrameworkTask(string TaskId, string AgentId, OrleansDcos.Mesos.TaskState State);

/// <summary>The master's view of one framework (operator API, <c>/master/frameworks</c>).</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkSnapshot")]
public sealed record FrameworkSnapshot(
    FrameworkInfo Info,
    bool Active,
    bool Connected,
    bool Removed,
    double RegisteredAt,
    double? DisconnectedAt,
    IReadOnlyList<FrameworkTask> Tasks,
    IReadOnlyList<OfferInfo> Offers);

/// <summary>An operator or framework call the master refuses; the API answers 400 with the message.</summary>
[GenerateSerializer]
[Alias("dcos.MasterValidationException")]
public sealed class MasterValidationException(string message) : Exception(message);

/// <summary>A call on a framework that is not subscribed on the given stream (or at all); the API answers 403.</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkNotSubscribedException")]
public sealed class FrameworkNotSubscribedException(string message) : Exception(message);
