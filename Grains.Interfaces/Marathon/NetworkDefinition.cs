using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>One of an app's <c>networks</c>: tasks here share their agent's network, Marathon's <c>{"mode": "host"}</c>.</summary>
[GenerateSerializer]
[Alias("dcos.NetworkDefinition")]
public sealed record NetworkDefinition([property: JsonPropertyName("mode")] string Mode)
{
    /// <summary>Host networking, the only mode here (and Marathon's default).</summary>
    public static readonly NetworkDefinition Host = new("host");
}
