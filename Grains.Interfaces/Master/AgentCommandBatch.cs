using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>What a link receives when it polls: the commands after its cursor, or a request to register again.</summary>
[GenerateSerializer]
[Alias("dcos.AgentCommandBatch")]
public sealed record AgentCommandBatch(
    [property: JsonPropertyName("cursor")] long Cursor,
    [property: JsonPropertyName("commands")] IReadOnlyList<AgentCommand> Commands,
    [property: JsonPropertyName("reregister")] bool Reregister = false);
