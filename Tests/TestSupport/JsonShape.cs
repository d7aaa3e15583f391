using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support;

/// <summary>JSON types as schema tests name them (<c>string</c>, <c>number</c>, <c>boolean</c>, <c>object</c>, <c>array</c>), and the keys a document lacks or mistypes.</summary>
public static class JsonShape
{
    public const string String = "string", Number = "number", Boolean = "boolean", Object = "object", Array = "array";

    /// <summary>The JSON type of <paramref name="node"/>.</summary>
    public static string TypeOf(JsonNode? node) => node switch
    {
        JsonObject => Object,
        JsonArray => Array,
        JsonValue v when v.TryGetValue<string>(out _) => String,
        JsonValue v when v.TryGetValue<bool>(out _) => Boolean,
        JsonValue => Number,
        null => "null",
        _ => "other",
    };

    /// <summary>Each key of <paramref name="keys"/> that <paramref name="json"/> lacks or holds with another type than <paramref name="system"/> writes.</summary>
    public static IReadOnlyList<string> Problems(JsonObject json, IReadOnlyDictionary<string, string> keys, string system) => [.. keys
        .Select(kv => json.TryGetPropertyValue(kv.Key, out var value)
            ? TypeOf(value) == kv.Value ? null : $"{kv.Key} is {TypeOf(value)}, {system} writes {kv.Value}"
            : $"{kv.Key} is missing")
        .OfType<string>()];
}
