using System.Text.Json;

namespace OrleansDcos.Providers.Storage;

/// <summary>How grain state is written in the <c>grain_state</c> table: the same JSON the home-made runtime wrote, so saved state reads back after the move.</summary>
public static class StateJson
{
    /// <summary>camelCase names, case-insensitive reading, numbers as numbers (<see cref="JsonSerializerDefaults.Web"/>).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
