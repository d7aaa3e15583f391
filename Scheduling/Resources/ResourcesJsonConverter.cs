using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// Resources in JSON as their Mesos text (<c>"cpus:1;mem:128;ports:[31000-31000]"</c>): the agent link, saved grain
/// state and the operator answers carry this form; a malformed text fails the read with a <see cref="JsonException"/>.
/// </summary>
public sealed class ResourcesJsonConverter : JsonConverter<Resources>
{
    /// <inheritdoc />
    public override Resources Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("resources must be a string in Mesos syntax (cpus:1;mem:128)");
        }

        try
        {
            return Resources.Parse(reader.GetString()!);
        }
        catch (ResourceParseException ex)
        {
            throw new JsonException($"resources: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Resources value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
