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
                var reservation = new JsonObject { ["type"] = resource.Reservation is null ? "STATIC" : "DYNAMIC", ["role"] = resource.Role };
                if (resource.Reservation is { } dynamic)
                {
                    reservation["principal"] = dynamic.Principal;
                    if (dynamic.Labels.Count > 0)
                    {
                        reservation["labels"] = LabelsJson(dynamic.Labels);
                    }

                    // Mesos' pre-1.4 form, which Marathon and older frameworks read.
                    item["reservation"] = new JsonObject { ["principal"] = dynamic.Principal, ["labels"] = dynamic.Labels.Count > 0 ? LabelsJson(dynamic.Labels) : null };
                }

                item["reservations"] = new JsonArray(reservation);
            }

            if (resource.Volume is { } volume)
            {
                item["disk"] = new JsonObject
                {
                    ["persistence"] = new JsonObject { ["id"] = volume.Id, ["principal"] = volume.Principal },
                    ["volume"] = new JsonObject { ["container_path"] = volume.ContainerPath, ["mode"] = volume.ReadOnly ? "RO" : "RW" },
                };
            }

            if (allocationRole is not null)
            {
                item["allocation_info"] = new JsonObject { ["role"] = allocationRole };
            }

            array.Add(item);
        }

        return array;
    }

    /// <summary>
    /// The resources of Mesos' JSON <paramref name="resources"/>, validated: the role of the last reservation (else
    /// <c>role</c>, else <c>*</c>), a <c>DYNAMIC</c> reservation's principal and labels (or the older <c>reservation</c>
    /// object), a persistent volume's <c>disk.persistence</c> and <c>disk.volume</c>.
    /// </summary>
    /// <exception cref="MesosJsonException">A field is missing or of the wrong kind, or the result is not valid resources; the message names the path under <paramref name="path"/>.</exception>
    public static Res FromJson(IEnumerable<JsonElement> resources, string path)
    {
        var items = new List<Resource>();
        var index = 0;
        foreach (var resource in resources)
        {
            var at = $"{path}[{index++}]";
            var name = String(resource, "name", at);
            var type = OptionalString(resource, "type", at) ?? "SCALAR";
            var value = type switch
            {
                "SCALAR" => Number(Required(resource, "scalar", at), "value", $"{at}.scalar").ToString("R", CultureInfo.InvariantCulture),
                "RANGES" => "[" + string.Join(',', Array(Required(resource, "ranges", at), "range", $"{at}.ranges").Select((r, i) =>
                    $"{Unsigned(r, "begin", $"{at}.ranges.range[{i}]")}-{Unsigned(r, "end", $"{at}.ranges.range[{i}]")}")) + "]",
                "SET" => "{" + string.Join(',', Strings(Required(resource, "set", at), "item", $"{at}.set")) + "}",
                _ => throw new MesosJsonException($"{at}.type must be SCALAR, RANGES or SET (is {type})"),
            };
            try
            {
                var (role, reservation) = ReservationOf(resource, at);
                if (!OrleansDcos.Scheduling.Allocation.RoleNames.IsValid(role))
                {
                    throw new MesosJsonException($"{at}: '{role}' is not a valid role name");
                }

                var volume = VolumeOf(resource, at);
                var plain = ResourcesParser.ParseEntry($"{name}:{value}").WithRole(role);
                items.Add(reservation is null && volume is null ? plain : Resource.Reserved(plain, role, reservation, volume));
            }
            catch (Exception ex) when (ex is ResourceParseException or ArgumentException)
            {
                throw new MesosJsonException($"{at}: {ex.Message}");
            }
        }

        try
        {
            return Res.From(items);
        }
        catch (ArgumentException ex)
        {
            throw new MesosJsonException($"{path}: {ex.Message}");
        }
    }

    private static (string Role, Reservation? Reservation) ReservationOf(JsonElement resource, string at)
    {
        var reservations = Array(resource, "reservations", at);
        if (reservations.Count > 0)
        {
            var last = reservations[^1];
            var lastAt = $"{at}.reservations[{reservations.Count - 1}]";
            var role = String(last, "role", lastAt);
            return (OptionalString(last, "type", lastAt) ?? "STATIC") switch
            {
                "STATIC" => (role, null),
                "DYNAMIC" => (role, new Reservation(OptionalString(last, "principal", lastAt) ?? "", LabelsOf(last, lastAt))),
                var other => throw new MesosJsonException($"{lastAt}.type must be STATIC or DYNAMIC (is {other})"),
            };
        }

        var legacyRole = OptionalString(resource, "role", at) ?? Resource.AnyRole;
        return Optional(resource, "reservation", at) is { } legacy
            ? (legacyRole, new Reservation(OptionalString(legacy, "principal", $"{at}.reservation") ?? "", LabelsOf(legacy, $"{at}.reservation")))
            : (legacyRole, null);
    }

    private static List<KeyValuePair<string, string>> LabelsOf(JsonElement reservation, string at) =>
        Optional(reservation, "labels", at) is { } labels
            ? Array(labels, "labels", $"{at}.labels").Select((l, i) => KeyValuePair.Create(String(l, "key", $"{at}.labels.labels[{i}]"), OptionalString(l, "value", $"{at}.labels.labels[{i}]") ?? "")).ToList()
            : [];

    private static PersistentVolume? VolumeOf(JsonElement resource, string at)
    {
        if (Optional(resource, "disk", at) is not { } disk || Optional(disk, "persistence", $"{at}.disk") is not { } persistence)
        {
            return null;
        }

        var volume = Optional(disk, "volume", $"{at}.disk") ?? throw new MesosJsonException($"{at}.disk.volume is required with disk.persistence");
        var mode = OptionalString(volume, "mode", $"{at}.disk.volume") ?? "RW";
        if (mode is not ("RW" or "RO"))
        {
            throw new MesosJsonException($"{at}.disk.volume.mode must be RW or RO (is {mode})");
        }

        var result = new PersistentVolume(
            String(persistence, "id", $"{at}.disk.persistence"),
            String(volume, "container_path", $"{at}.disk.volume"),
            mode == "RO",
            OptionalString(persistence, "principal", $"{at}.disk.persistence") ?? "");
        return result.Problem() is { } problem ? throw new MesosJsonException($"{at}.disk: {problem}") : result;
    }

    private static JsonObject LabelsJson(IEnumerable<KeyValuePair<string, string>> labels) =>
        new() { ["labels"] = new JsonArray(labels.Select(l => (JsonNode)new JsonObject { ["key"] = l.Key, ["value"] = l.Value }).ToArray()) };

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
