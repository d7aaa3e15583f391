using System.Text.Json;

namespace OrleansDcos.Runtime.Activation;

/// <summary>The one JSON setting of the runtime: grain state, reminders, streams and remote calls.</summary>
public static class GrainJson
{
    /// <summary>camelCase names, case-insensitive reading, numbers as numbers.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
