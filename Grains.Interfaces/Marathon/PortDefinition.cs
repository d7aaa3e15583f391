using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A port of an app.</summary>
[GenerateSerializer]
[Alias("dcos.PortDefinition")]
public sealed record PortDefinition
{
    /// <summary>The service port (0 = assign one from the service-port range).</summary>
    [JsonPropertyName("port")]
    [Id(0)]
    public int Port { get; init; }

    /// <summary>tcp, udp or udp,tcp.</summary>
    [JsonPropertyName("protocol")]
    [Id(1)]
    public string Protocol { get; init; } = "tcp";

    /// <summary>Name (PORT_NAME in the environment, readiness checks' portName).</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(2)]
    public string? Name { get; init; }

    /// <summary>Labels.</summary>
    [JsonPropertyName("labels")]
    [Id(3)]
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
