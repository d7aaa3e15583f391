using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>A URI fetched into a job's sandbox before it runs (Chronos' <c>fetch</c>; its <c>uris</c> are these with the defaults).</summary>
[GenerateSerializer]
[Alias("dcos.JobFetch")]
public sealed record JobFetch(
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("executable")] bool Executable = false,
    [property: JsonPropertyName("extract")] bool Extract = true,
    [property: JsonPropertyName("cache")] bool Cache = false,
    [property: JsonPropertyName("outputFile"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OutputFile = null);
