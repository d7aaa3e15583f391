using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Resources;
using static OrleansDcos.Mesos.MesosJsonReader;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Mesos;

/// <summary>
/// The one Mesos codec of resources and attributes: the agent syntax (<c>cpus:1;ports(web):[31000-31001]</c>, parsed
/// by <see cref="Res.Parse"/>) to and from Mesos' JSON (<c>{"name","type":"SCALAR|RANGES|SET","scalar":{"value"},
/// "ranges":{"range":[{"begin","end"}]},"set":{"item":[]},"role","reservations":[{"type":"STATIC","role"}]}</c>), and the
/// summaries of the master's <c>/state</c>. The scheduler API, the operator endpoints and the client SDK all use it.
/// </summary>
public static class MesosResourceJson
{
    /// <summary>Mesos' JSON array of <paramref name="resources"/>; <paramref name="allocationRole"/> adds <c>allocation_info</c> (offers).</summary>
    public static JsonArray ToJson(Res resources, string? allocationRole = null)
    {
        var array = new JsonArray();
        foreach (var resource in resources)
        {
            var item = new JsonObject { ["name"] = resource.Name };
            switch (resource.Kind)
            {
                case ResourceKind.Scalar:
                    item["type"] = "SCALAR";
                    item["scalar"] = new JsonObject { ["value"] = resource.Scalar.ToDouble() };
                    break;
                case ResourceKind.Ranges:
                    item["type"] = "RANGES";
                    item["ranges"] = new JsonObject { ["range"] = new JsonArray(resource.Ranges!.Ranges.Select(r => (JsonNode)new JsonObject { ["begin"] = r.Begin, ["end"] = r.End }).ToArray()) };
                    break;
                default:
                    item["type"] = "SET";
                    item["set"] = new JsonObject { ["item"] = new JsonArray(resource.Set!.Items.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()) };
                    break;
            }

            item["role"] = resource.Role;
            if (!resource.IsUnreserved)
            {
                item["reservations"] = new JsonArray(new JsonObject { ["type"] = "STATIC", ["role"] = resource.Role });
            }

            if (allocationRole is not null)
            {
                item["allocation_info"] = new JsonObject { ["role"] = allocationRole };
            }

            array.Add(item);
        }

        return array;
    }

    /// <summary>The resources of Mesos' JSON <paramref name="resources"/> (a reservation's role, else <c>role</c>, else <c>*</c>), validated.</summary>
    /// <exception cref="MesosJsonException">A field is missing or of the wrong kind, or the result is not valid resources; the message names the path under <paramref name="path"/>.</exception>
    public static Res FromJson(IEnumerable<JsonElement> resources, string path)
    {
        var parts = new List<string>();
        var index = 0;
        foreach (var resource in resources)
        {
            var at = $"{path}[{index++}]";
            var name = String(resource, "name", at);
            var reservations = Array(resource, "reservations", at);
            var role = reservations.Count > 0
                ? String(reservations[^1], "role", $"{at}.reservations[{reservations.Count - 1}]")
                : OptionalString(resource, "role", at) ?? Resource.AnyRole;
            var type = OptionalString(resource, "type", at) ?? "SCALAR";
            var value = type switch
            {
                "SCALAR" => Number(Required(resource, "scalar", at), "value", $"{at}.scalar").ToString("R", CultureInfo.InvariantCulture),
                "RANGES" => "[" + string.Join(',', Array(Required(resource, "ranges", at), "range", $"{at}.ranges").Select((r, i) =>
                    $"{Unsigned(r, "begin", $"{at}.ranges.range[{i}]")}-{Unsigned(r, "end", $"{at}.ranges.range[{i}]")}")) + "]",
                "SET" => "{" + string.Join(',', Strings(Required(resource, "set", at), "item", $"{at}.set")) + "}",
                _ => throw new MesosJsonException($"{at}.type must be SCALAR, RANGES or SET (is {type})"),
            };
            parts.Add(role == Resource.AnyRole ? $"{name}:{value}" : $"{name}({role}):{value}");
        }

        try
        {
            return Res.Parse(string.Join(';', parts));
        }
        catch (ResourceParseException ex)
        {
            throw new MesosJsonException($"{path}: {ex.Message}");
        }
    }

    /// <summary>The master's <c>/state</c> summary of <paramref name="resources"/> (<c>{"cpus": 2, "mem": 0, "disk": 0, "gpus": 0, "ports": "[31000-32000]"}</c>).</summary>
    public static JsonObject Summary(Res resources)
    {
        var summary = new JsonObject { ["cpus"] = 0.0, ["mem"] = 0.0, ["disk"] = 0.0, ["gpus"] = 0.0 };
        foreach (var resource in resources)
        {
            summary[resource.Name] = resource.Kind switch
            {
                ResourceKind.Scalar => (summary[resource.Name]?.GetValue<double>() ?? 0) + resource.Scalar.ToDouble(),
                ResourceKind.Ranges => resource.Ranges!.ToString(),
                _ => resource.Set!.ToString(),
            };
        }

        return summary;
    }

    /// <summary>Mesos' typed attribute array of <paramref name="text"/> (<c>rack:r1;level:10</c>): numbers are SCALAR, the rest TEXT.</summary>
    public static JsonArray AttributesToJson(string text) => new(Pairs(text)
        .Select(kv => (JsonNode)(double.TryParse(kv.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? new JsonObject { ["name"] = kv.Key, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = number } }
            : new JsonObject { ["name"] = kv.Key, ["type"] = "TEXT", ["text"] = new JsonObject { ["value"] = kv.Value } }))
        .ToArray());

    /// <summary>The master's <c>/state</c> object of <paramref name="text"/> (<c>{"rack": "r1", "level": 10}</c>).</summary>
    public static JsonObject AttributeSummary(string text)
    {
        var summary = new JsonObject();
        foreach (var (name, value) in Pairs(text))
        {
            summary[name] = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : value;
        }

        return summary;
    }

    /// <summary>The attribute text of Mesos' typed attribute array (SCALAR and TEXT; others by their text).</summary>
    public static string AttributesFromJson(IEnumerable<JsonElement> attributes, string path) => string.Join(';', attributes.Select((a, i) =>
    {
        var at = $"{path}[{i}]";
        var name = String(a, "name", at);
        var value = OptionalString(a, "type", at) == "SCALAR"
            ? Number(Required(a, "scalar", at), "value", $"{at}.scalar").ToString(CultureInfo.InvariantCulture)
            : Optional(a, "text", at) is { } text ? OptionalString(text, "value", $"{at}.text") : null;
        return $"{name}:{value}";
    }));

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string text) =>
        AgentAttributes.Parse(text).ToString().Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split(':', 2))
            .Select(kv => KeyValuePair.Create(kv[0], kv[1]));
}
