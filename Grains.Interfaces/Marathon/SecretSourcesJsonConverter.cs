using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansDcos.Grains.Marathon;

/// <summary>An app's <c>secrets</c> as Marathon writes them, <c>{"name": {"source": "path"}}</c>, kept as name → source path.</summary>
public sealed class SecretSourcesJsonConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonSerializer.Deserialize<JsonElement>(ref reader, options);
        return element.ValueKind != JsonValueKind.Object
            ? throw new JsonException("secrets must be an object")
            : element.EnumerateObject().ToDictionary(
                p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String
                    ? source.GetString()!
                    : throw new JsonException($"secrets.{p.Name} must be {{\"source\": path}}"),
                StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, source) in value)
        {
            writer.WriteStartObject(name);
            writer.WriteString("source", source);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
