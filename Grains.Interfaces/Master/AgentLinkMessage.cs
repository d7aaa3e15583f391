using System.Text.Json.Serialization;
using OrleansDcos.Grains.Agents;
using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// One message on the agent link, a WebSocket at <see cref="AgentLink.Path"/> carrying one JSON text message
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

/// <summary>Facts of the agent link.</summary>
public static class AgentLink
{
    /// <summary>The WebSocket path on every silo.</summary>
    public const string Path = "/api/v1/agent/link";

    /// <summary>Daemon → silo, first message: enroll or re-register (<see cref="AgentLinkMessage.Registration"/>).</summary>
    public const string Register = "REGISTER";

    /// <summary>Silo → daemon: the registration is accepted (<see cref="AgentLinkMessage.Registered"/>).</summary>
    public const string Registered = "REGISTERED";

    /// <summary>Daemon → silo: alive, every heartbeat interval.</summary>
    public const string Heartbeat = "HEARTBEAT";

    /// <summary>Daemon → silo: task status updates (<see cref="AgentLinkMessage.Updates"/>).</summary>
    public const string Update = "UPDATE";

    /// <summary>Silo → daemon: commands in order (<see cref="AgentLinkMessage.Commands"/>).</summary>
    public const string Commands = "COMMANDS";

    /// <summary>Daemon → silo: the answer to a READ_LOG command (<see cref="AgentLinkMessage.Chunk"/>).</summary>
    public const string LogData = "LOG_DATA";

    /// <summary>Silo → daemon, then close: the master lost this link's registration; connect and register again.</summary>
    public const string Reregister = "REREGISTER";

    /// <summary>Silo → daemon, then close: the registration or a message was refused (<see cref="AgentLinkMessage.Message"/>).</summary>
    public const string Error = "ERROR";
}
