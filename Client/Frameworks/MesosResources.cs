using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.AgentLink;

namespace OrleansDcos.Client.Frameworks;

/// <summary>Mesos resources between the agent syntax (<c>cpus:1;ports(web):[31000-31001]</c>) and Mesos JSON.</summary>
public static class MesosResources
{
    /// <summary>The JSON array of a resource text.</summary>
    public static JsonArray ToJson(string text)
    {
        var array = new JsonArray();
        foreach (var entry in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new FormatException($"resource '{entry}' is not name:value");
            }

            var head = entry[..colon];
            var value = entry[(colon + 1)..].Trim();
            var open = head.IndexOf('(', StringComparison.Ordinal);
            var name = (open < 0 ? head : head[..open]).Trim();
            var role = open < 0 ? "*" : head[(open + 1)..].TrimEnd(')').Trim();
            var item = new JsonObject { ["name"] = name };
            if (value.StartsWith('['))
            {
                item["type"] = "RANGES";
                item["ranges"] = new JsonObject
                {
                    ["range"] = new JsonArray(value.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r =>
                    {
                        var bounds = r.Split('-');
                        return (JsonNode)new JsonObject { ["begin"] = ulong.Parse(bounds[0], CultureInfo.InvariantCulture), ["end"] = ulong.Parse(bounds[^1], CultureInfo.InvariantCulture) };
                    }).ToArray()),
                };
            }
            else if (value.StartsWith('{'))
            {
                item["type"] = "SET";
                item["set"] = new JsonObject { ["item"] = new JsonArray(value.Trim('{', '}').Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => (JsonNode)JsonValue.Create(i.Trim())).ToArray()) };
            }
            else
            {
                item["type"] = "SCALAR";
                item["scalar"] = new JsonObject { ["value"] = double.Parse(value, CultureInfo.InvariantCulture) };
            }

            if (role != "*")
            {
                item["reservations"] = new JsonArray(new JsonObject { ["type"] = "STATIC", ["role"] = role });
            }

            array.Add(item);
        }

        return array;
    }

    /// <summary>The resource text of a JSON array.</summary>
    public static string FromJson(JsonArray resources) => string.Join(';', resources.Select(r =>
    {
        var name = r!["name"]!.GetValue<string>();
        var role = r["reservations"]?.AsArray().LastOrDefault()?["role"]?.GetValue<string>() ?? "*";
        var value = r["type"]?.GetValue<string>() switch
        {
            "RANGES" => "[" + string.Join(',', r["ranges"]!["range"]!.AsArray().Select(x => $"{x!["begin"]}-{x["end"]}")) + "]",
            "SET" => "{" + string.Join(',', r["set"]!["item"]!.AsArray().Select(x => x!.GetValue<string>())) + "}",
            _ => r["scalar"]!["value"]!.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
        };
        return role == "*" ? $"{name}:{value}" : $"{name}({role}):{value}";
    }));

    /// <summary>The attribute text (<c>rack:r1;level:2</c>) of a JSON array.</summary>
    public static string AttributesFromJson(JsonArray? attributes) => string.Join(';', (attributes ?? []).Select(a =>
        $"{a!["name"]!.GetValue<string>()}:{(a["type"]?.GetValue<string>() == "SCALAR" ? a["scalar"]!["value"]!.GetValue<double>().ToString(CultureInfo.InvariantCulture) : a["text"]?["value"]?.GetValue<string>())}"));
}
