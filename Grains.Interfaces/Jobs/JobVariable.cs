using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>One of a job's <c>environmentVariables</c>.</summary>
[GenerateSerializer]
[Alias("dcos.JobVariable")]
public sealed record JobVariable(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string Value);
