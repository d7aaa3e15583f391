using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Mesos;

namespace OrleansDcos.AgentLink;

/// <summary>
/// One message on the agent link, a WebSocket at <see cref="AgentLinkProtocol.Path"/> carrying one JSON text message
/// per frame (docs/agent-protocol.md). <see cref="Type"/> says which field is set.
/// </summary>
[GenerateSerializer]
[Alias("dcos.AgentLinkMessage")]
public sealed record AgentLinkMessage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("registration")] AgentRegistration? Registration = null,
    [property: JsonPropertyName("registered")] AgentRegistered? Registered = null,
    [property: JsonPropertyName("updates")] IReadOnlyList<TaskStatusUpdate>? Updates = null,
    [property: JsonPropertyName("commands")] IReadOnlyList<AgentCommand>? Commands = null,
    [property: JsonPropertyName("chunk")] LogChunk? Chunk = null,
    [property: JsonPropertyName("message")] string? Message = null);
