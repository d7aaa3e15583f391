using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>
/// How a task is found (Mesos' <c>DiscoveryInfo</c>, the part DNS uses): its ports with their names and protocols,
/// and whether it has a health check — then DNS lists it only while it is healthy.
/// </summary>
[GenerateSerializer]
[Alias("dcos.DiscoverySpec")]
public sealed record DiscoverySpec(
    [property: JsonPropertyName("ports")] IReadOnlyList<DiscoveryPortSpec> Ports,
    [property: JsonPropertyName("health_checked")] bool HealthChecked = false)
{
    /// <summary>The host ports of <paramref name="resources"/>, unnamed.</summary>
    public static DiscoverySpec Of(Scheduling.Resources.Resources resources, bool healthChecked = false) =>
        new([.. resources.PortNumbers().Select(p => new DiscoveryPortSpec(p))], healthChecked);
}
