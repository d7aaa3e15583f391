using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The command of a COMMAND health check.</summary>
[GenerateSerializer]
[Alias("dcos.HealthCheckCommand")]
public sealed record HealthCheckCommand([property: JsonPropertyName("value")] string Value);
