using System.Text.Json.Serialization;

namespace OrleansDcos.Client.Jobs;

/// <summary>How long a job's successful runs took, in seconds (<c>/v1/scheduler/job/stat/{name}</c>).</summary>
public sealed record ChronosHistogram(
    [property: JsonPropertyName("75thPercentile")] double Percentile75,
    [property: JsonPropertyName("95thPercentile")] double Percentile95,
    [property: JsonPropertyName("98thPercentile")] double Percentile98,
    [property: JsonPropertyName("99thPercentile")] double Percentile99,
    [property: JsonPropertyName("median")] double Median,
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("count")] int Count);
