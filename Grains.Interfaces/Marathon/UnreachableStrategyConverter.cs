using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansDcos.Grains.Marathon;

/// <summary>Writes a disabled unreachable strategy as Marathon does, the string <c>"disabled"</c>.</summary>
public sealed class UnreachableStrategyConverter : JsonConverter<UnreachableStrategyDefinition?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override UnreachableStrategyDefinition? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => null,
            _ => JsonSerializer.Deserialize<UnreachableStrategyDefinition>(ref reader, options),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, UnreachableStrategyDefinition? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteStringValue("disabled");
        }
        else
        {
            JsonSerializer.Serialize(writer, value, options);
        }
    }
}
