using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// What a resident app holds on one agent for one instance (Marathon's reservation of a stateful instance): the
/// dynamically reserved resources, labelled with <see cref="Id"/>, and the persistent volumes made of them. Each
/// incarnation of the instance is launched on exactly these resources; they are kept when the task ends or the app is
/// scaled down, and destroyed and unreserved only when the app is deleted (or the instance is expunged).
/// </summary>
/// <param name="Id">The reservation's id (the <c>marathon_reservation_id</c> label of its resources).</param>
/// <param name="AgentId">The agent it is on.</param>
/// <param name="Host">The agent's hostname.</param>
/// <param name="Attributes">The agent's attributes (for constraints on later launches).</param>
/// <param name="Resources">The reserved resources, volumes included.</param>
/// <param name="TaskId">The live task that uses it, or null while it waits (detached).</param>
/// <param name="Releasing">To be destroyed and unreserved at the next offer of its agent.</param>
/// <param name="HostIp">The agent's address.</param>
[GenerateSerializer]
[Alias("dcos.ResidentReservation")]
public sealed record ResidentReservation(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("agentId")] string AgentId,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("attributes")] string Attributes,
    [property: JsonPropertyName("resources")] Resources Resources,
    [property: JsonPropertyName("taskId")] string? TaskId = null,
    [property: JsonPropertyName("releasing")] bool Releasing = false,
    [property: JsonPropertyName("hostIp")] string? HostIp = null)
{
    /// <summary>The reservation label naming the reservation.</summary>
    public const string IdLabel = "marathon_reservation_id";

    /// <summary>The reservation label naming the app.</summary>
    public const string AppLabel = "marathon_app_id";

    /// <summary>The reservation label naming the framework.</summary>
    public const string FrameworkLabel = "marathon_framework_id";
}
