using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// An app's <c>env</c> as Marathon writes it: a string per variable, or <c>{"secret": "name"}</c> for a variable taken
/// from one of the app's <c>secrets</c> (kept in the map as <see cref="SecretReference"/>, a value no real environment
/// variable can hold: it starts with NUL).
/// </summary>
public sealed class EnvJsonConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    private const string Marker = "\0secret:";

    /// <summary>The value standing for the app secret <paramref name="name"/>.</summary>
    public static string SecretReference(string name) => Marker + name;

    /// <summary>The secret name a value stands for, or null for a plain value.</summary>
    public static string? SecretNameOf(string value) => value.StartsWith(Marker, StringComparison.Ordinal) ? value[Marker.Length..] : null;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("env must be an object");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            env[name] = reader.TokenType == JsonTokenType.String ? reader.GetString()!
                : JsonSerializer.Deserialize<JsonElement>(ref reader, options) is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("secret", out var s) && s.ValueKind == JsonValueKind.String
                    ? SecretReference(s.GetString()!)
                    : throw new JsonException($"env.{name} must be a string or {{\"secret\": name}}");
        }

        return env;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, text) in value)
        {
            if (SecretNameOf(text) is { } secret)
            {
                writer.WriteStartObject(name);
                writer.WriteString("secret", secret);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString(name, text);
            }
        }

        writer.WriteEndObject();
    }
}
