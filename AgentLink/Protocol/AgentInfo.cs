using System.Net;
using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.AgentLink;

/// <summary>
/// What a node daemon says about itself when it enrolls (docs/agent-protocol.md, <c>REGISTER</c>).
/// <see cref="Resources"/> and <see cref="Attributes"/> use the Mesos agent syntax
/// (<c>cpus:8;mem:16384;ports:[31000-32000]</c>, <c>rack:r1;zone:a</c>); <see cref="Address"/> is filled in by the
/// silo (the link's peer address); <see cref="Port"/> is the agent's advertised port (Mesos' <c>--port</c>);
/// <see cref="Region"/> and <see cref="Zone"/> are its fault domain, when it has one.
/// </summary>
[GenerateSerializer]
[Alias("dcos.AgentInfo")]
public sealed record AgentInfo(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("hostname")] string Hostname,
    [property: JsonPropertyName("resources")] Resources Resources,
    [property: JsonPropertyName("attributes")] string Attributes = "",
    [property: JsonPropertyName("version")] string Version = "",
    [property: JsonPropertyName("address")] string? Address = null,
    [property: JsonPropertyName("port")] int Port = AgentInfo.DefaultPort,
    [property: JsonPropertyName("region")] string? Region = null,
    [property: JsonPropertyName("zone")] string? Zone = null)
{
    /// <summary>Mesos' default agent port.</summary>
    public const int DefaultPort = 5051;

    /// <summary>
    /// The agent's IP as Mesos reports it for the agent and for its host-networked tasks: the address its link came
    /// from, else its hostname when that is an IP, else loopback.
    /// </summary>
    [JsonIgnore]
    public string Ip => IPAddress.TryParse(Address, out _) ? Address! : IPAddress.TryParse(Hostname, out _) ? Hostname : IPAddress.Loopback.ToString();
}
