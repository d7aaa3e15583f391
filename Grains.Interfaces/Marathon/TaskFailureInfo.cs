using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The last task of an app that failed (<c>lastTaskFailure</c>).</summary>
[GenerateSerializer]
[Alias("dcos.TaskFailureInfo")]
public sealed record TaskFailureInfo(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("taskId")] string TaskId,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("slaveId")] string AgentId);
