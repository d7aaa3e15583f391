using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli;

/// <summary>How JSON values read in a table cell.</summary>
public static class Cells
{
    /// <summary>A value as text (numbers without trailing zeros; missing as "-").</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "-",
        JsonValue value when value.TryGetValue<double>(out var number) => Number(number),
        JsonValue value => value.ToString(),
        _ => node.ToJsonString(),
    };

    /// <summary>A number with at most two decimals.</summary>
    public static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A scalar resource as <c>used/total</c> (e.g. <c>0.5/4</c>).</summary>
    public static string UsedOfTotal(JsonNode? used, JsonNode? total, string name) =>
        $"{Number(Scalar(used, name))}/{Number(Scalar(total, name))}";

    /// <summary>A scalar resource of a Mesos resources object (0 when absent).</summary>
    public static double Scalar(JsonNode? resources, string name) =>
        resources?[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : 0;

    /// <summary>Up to <paramref name="width"/> characters of <paramref name="text"/>, with an ellipsis when cut.</summary>
    public static string Cut(string? text, int width) =>
        text is null ? "-" : text.Length <= width ? text : text[..(width - 1)] + "…";

    /// <summary>The elements of a JSON array (none when it is not one).</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node) => node is JsonArray array ? array.OfType<JsonObject>() : [];
}
