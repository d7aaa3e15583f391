using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// One of a job's <c>environmentVariables</c>: a value, or (ours) <c>{"name", "secret": path}</c> — the value of a secret
/// of the store, put in the run's environment at launch and never shown.
/// </summary>
[GenerateSerializer]
[Alias("dcos.JobVariable")]
public sealed record JobVariable(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("secret"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);
