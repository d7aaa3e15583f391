using System.Text.Json;

namespace OrleansDcos.Mesos;

/// <summary>
/// Reading Mesos v1 JSON field by field: every reader names the path of what it read (<c>task_infos[0].task_id</c>)
/// and fails with a <see cref="MesosJsonException"/> saying what was expected. The one place such input is judged;
/// the API answers a <see cref="MesosJsonException"/> with 400.
/// </summary>
public static class MesosJsonReader
{
    /// <summary>A required property (present and not null).</summary>
    public static JsonElement Required(JsonElement element, string name, string path) =>
        Optional(element, name, path) ?? throw new MesosJsonException($"{path}.{name} is required");

    /// <summary>An optional property (null when absent or null); fails when <paramref name="element"/> is not an object.</summary>
    public static JsonElement? Optional(JsonElement element, string name, string path) =>
        element.ValueKind != JsonValueKind.Object ? throw new MesosJsonException($"{path} must be an object")
        : element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value
        : null;

    /// <summary>A required string.</summary>
    public static string String(JsonElement element, string name, string path) =>
        OptionalString(element, name, path) ?? throw new MesosJsonException($"{path}.{name} is required");

    /// <summary>An optional string.</summary>
    public static string? OptionalString(JsonElement element, string name, string path) => Optional(element, name, path) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw new MesosJsonException($"{path}.{name} must be a string"),
    };

    /// <summary>A required number.</summary>
    public static double Number(JsonElement element, string name, string path) =>
        OptionalNumber(element, name, path) ?? throw new MesosJsonException($"{path}.{name} is required");

    /// <summary>An optional number.</summary>
    public static double? OptionalNumber(JsonElement element, string name, string path) => Optional(element, name, path) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
        _ => throw new MesosJsonException($"{path}.{name} must be a number"),
    };

    /// <summary>A required whole number.</summary>
    public static long Integer(JsonElement element, string name, string path) =>
        Required(element, name, path) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number)
            ? number
            : throw new MesosJsonException($"{path}.{name} must be an integer");

    /// <summary>A required whole number from 0.</summary>
    public static ulong Unsigned(JsonElement element, string name, string path) =>
        Optional(element, name, path) is { ValueKind: JsonValueKind.Number } value && value.TryGetUInt64(out var number)
            ? number
            : throw new MesosJsonException($"{path}.{name} must be a whole number from 0");

    /// <summary>An optional boolean.</summary>
    public static bool? OptionalBool(JsonElement element, string name, string path) => Optional(element, name, path) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw new MesosJsonException($"{path}.{name} must be true or false"),
    };

    /// <summary>An array's items (none when absent).</summary>
    public static IReadOnlyList<JsonElement> Array(JsonElement element, string name, string path) => Optional(element, name, path) switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } value => [.. value.EnumerateArray()],
        _ => throw new MesosJsonException($"{path}.{name} must be an array"),
    };

    /// <summary>An array of strings (none when absent).</summary>
    public static IReadOnlyList<string> Strings(JsonElement element, string name, string path) =>
        [.. Array(element, name, path).Select((item, i) => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new MesosJsonException($"{path}.{name}[{i}] must be a string"))];

    /// <summary>A required id object <c>{"value": "…"}</c>.</summary>
    public static string Id(JsonElement element, string name, string path) => String(Required(element, name, path), "value", $"{path}.{name}");

    /// <summary>An optional id object.</summary>
    public static string? OptionalId(JsonElement element, string name, string path) =>
        Optional(element, name, path) is { } id ? String(id, "value", $"{path}.{name}") : null;

    /// <summary>A uuid in base64 (16 bytes).</summary>
    public static Guid Uuid(JsonElement element, string name, string path) =>
        OptionalUuid(element, name, path) ?? throw new MesosJsonException($"{path}.{name} is required");

    /// <summary>An optional uuid: 16 bytes in RFC 4122 order, in base64.</summary>
    public static Guid? OptionalUuid(JsonElement element, string name, string path)
    {
        if (OptionalString(element, name, path) is not { } text)
        {
            return null;
        }

        var bytes = new byte[16];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == 16
            ? new Guid(bytes, bigEndian: true)
            : throw new MesosJsonException($"{path}.{name} must be 16 bytes in base64");
    }

    /// <summary>An enum member named exactly by a string (<c>TASK_RUNNING</c>).</summary>
    public static TEnum Enum<TEnum>(JsonElement element, string name, string path)
        where TEnum : struct, Enum
    {
        var text = String(element, name, path);
        return System.Enum.TryParse<TEnum>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0]) && text[0] != '-'
            ? value
            : throw new MesosJsonException($"{path}.{name} {text} is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");
    }
}
