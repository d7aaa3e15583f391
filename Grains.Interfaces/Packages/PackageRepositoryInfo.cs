using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Packages;

/// <summary>A package repository as Cosmos lists it: a name and the URI of a Universe repository (http(s) JSON or a file:// directory).</summary>
[GenerateSerializer]
[Alias("dcos.PackageRepositoryInfo")]
public sealed record PackageRepositoryInfo(
    [property: Id(0), JsonPropertyName("name")] string Name,
    [property: Id(1), JsonPropertyName("uri")] string Uri);
