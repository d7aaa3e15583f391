using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Interfaces.Api;

/// <summary>The errors of one field, named by its JSON path.</summary>
[GenerateSerializer]
[Alias("dcos.ApiErrorDetail")]
public sealed record ApiErrorDetail(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors);
