using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The <c>persistent</c> part of a Marathon volume: a local persistent volume of <see cref="Size"/> MiB.</summary>
[GenerateSerializer]
[Alias("dcos.PersistentVolumeDefinition")]
public sealed record PersistentVolumeDefinition
{
    /// <summary>The Mesos disk type; only <c>root</c> (the agent's work directory disk) exists here.</summary>
    [JsonPropertyName("type")]
    [Id(0)]
    public string Type { get; init; } = "root";

    /// <summary>The size in MiB.</summary>
    [JsonPropertyName("size")]
    [Id(1)]
    public double Size { get; init; }

    /// <summary>Constraints on the disk (none are supported: there is one disk per agent).</summary>
    [JsonPropertyName("constraints")]
    [Id(2)]
    public IReadOnlyList<IReadOnlyList<string>> Constraints { get; init; } = [];
}
