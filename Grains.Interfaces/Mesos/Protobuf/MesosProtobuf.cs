using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace OrleansDcos.Mesos.Protobuf;

/// <summary>
/// Mesos' protobuf codec (<c>application/x-protobuf</c>) as a transcoding of its JSON: a message read from protobuf
/// becomes the JSON Mesos would have been sent (field names as in the .proto, enums by name, 64-bit numbers as numbers,
/// bytes in base64, only fields that are present), so the one JSON codec judges and reads it; JSON written for a client
/// becomes the same message in protobuf. The binary format is Google.Protobuf's; the message definitions are the
/// project's own, with Mesos' names and field numbers (mesos/v1/*.proto beside this file).
/// </summary>
public static class MesosProtobuf
{
    /// <summary>The media type of protobuf requests and answers.</summary>
    public const string MediaType = "application/x-protobuf";

    /// <summary>The JSON Mesos writes for <paramref name="message"/>.</summary>
    public static JsonObject ToJson(IMessage message)
    {
        var json = new JsonObject();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = (IList)value;
                if (list.Count > 0)
                {
                    var array = new JsonArray();
                    foreach (var item in list)
                    {
                        array.Add(ToJson(field, item));
                    }

                    json[field.Name] = array;
                }
            }
            else if (field.Accessor.HasValue(message))
            {
                json[field.Name] = ToJson(field, value);
            }
        }

        return json;
    }

    /// <summary>
    /// <paramref name="json"/> (as Mesos writes it) as a <typeparamref name="T"/>. What the message definitions do not
    /// carry (a field or an enum name they lack) is left out; the codec's round-trip tests keep that set empty for
    /// everything the master writes.
    /// </summary>
    /// <exception cref="JsonException">A value is of the wrong kind for its field.</exception>
    public static T FromJson<T>(JsonNode json)
        where T : IMessage, new()
    {
        var message = new T();
        Fill(message, JsonSerializer.SerializeToElement(json));
        return message;
    }

    private static JsonNode? ToJson(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.Message or FieldType.Group => ToJson((IMessage)value),
        FieldType.Enum => field.EnumType.FindValueByNumber(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)) is { } name
            ? JsonValue.Create(name.Name)
            : JsonValue.Create(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)),
        FieldType.Bytes => JsonValue.Create(((ByteString)value).ToBase64()),
        FieldType.String => JsonValue.Create((string)value),
        FieldType.Bool => JsonValue.Create((bool)value),
        FieldType.Double => JsonValue.Create((double)value),
        FieldType.Float => JsonValue.Create((float)value),
        FieldType.UInt64 or FieldType.Fixed64 => JsonValue.Create((ulong)value),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => JsonValue.Create((long)value),
        FieldType.UInt32 or FieldType.Fixed32 => JsonValue.Create((uint)value),
        _ => JsonValue.Create((int)value),
    };

    private static void Fill(IMessage message, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{message.Descriptor.Name} must be an object (is {json.ValueKind})");
        }

        foreach (var property in json.EnumerateObject())
        {
            if (message.Descriptor.FindFieldByName(property.Name) is not { } field || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                foreach (var item in property.Value.EnumerateArray())
                {
                    if (FromJson(field, item) is { } value)
                    {
                        list.Add(value);
                    }
                }
            }
            else if (FromJson(field, property.Value) is { } value)
            {
                field.Accessor.SetValue(message, value);
            }
        }
    }

    private static object? FromJson(FieldDescriptor field, JsonElement json)
    {
        switch (field.FieldType)
        {
            case FieldType.Message or FieldType.Group:
                var message = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
                Fill(message, json);
                return message;
            case FieldType.Enum:
                var number = json.ValueKind == JsonValueKind.Number ? json.GetInt32() : field.EnumType.FindValueByName(json.GetString()!)?.Number;
                return number is { } n ? Enum.ToObject(field.EnumType.ClrType, n) : null;
            case FieldType.Bytes:
                return ByteString.FromBase64(json.GetString()!);
            case FieldType.String:
                return json.GetString()!;
            case FieldType.Bool:
                return json.GetBoolean();
            case FieldType.Double:
                return json.GetDouble();
            case FieldType.Float:
                return json.GetSingle();
            case FieldType.UInt64 or FieldType.Fixed64:
                return json.GetUInt64();
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                return json.GetInt64();
            case FieldType.UInt32 or FieldType.Fixed32:
                return json.GetUInt32();
            default:
                return json.GetInt32();
        }
    }
}
