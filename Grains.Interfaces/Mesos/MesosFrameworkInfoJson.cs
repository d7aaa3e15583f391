using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Master;
using static OrleansDcos.Mesos.MesosJsonReader;

namespace OrleansDcos.Mesos;

/// <summary>Mesos' <c>FrameworkInfo</c> as SUBSCRIBE carries it: written by the client SDK, read by the scheduler API.</summary>
public static class MesosFrameworkInfoJson
{
    /// <summary>Reads <c>framework_info</c> (a lone <c>role</c> counts as <c>roles</c>).</summary>
    /// <exception cref="MesosJsonException">A field is missing or of the wrong kind.</exception>
    public static FrameworkInfo Read(JsonElement info, string path)
    {
        var roles = Strings(info, "roles", path).ToList();
        if (roles.Count == 0 && OptionalString(info, "role", path) is { } role)
        {
            roles.Add(role);
        }

        return new FrameworkInfo(
            OptionalId(info, "id", path),
            String(info, "name", path),
            OptionalString(info, "user", path) ?? "",
            roles,
            OptionalString(info, "principal", path),
            OptionalNumber(info, "failover_timeout", path) ?? 0,
            [.. Array(info, "capabilities", path).Select((c, i) => String(c, "type", $"{path}.capabilities[{i}]"))],
            OptionalString(info, "hostname", path),
            OptionalString(info, "webui_url", path));
    }

    /// <summary>Writes <paramref name="info"/> (with the <c>MULTI_ROLE</c> capability every client here has).</summary>
    public static JsonObject Write(FrameworkInfo info)
    {
        var json = new JsonObject
        {
            ["name"] = info.Name,
            ["user"] = info.User,
            ["failover_timeout"] = info.FailoverTimeoutSeconds,
            ["roles"] = new JsonArray([.. info.EffectiveRoles.Select(r => (JsonNode)JsonValue.Create(r))]),
            ["capabilities"] = new JsonArray([.. (info.Capabilities ?? []).Append("MULTI_ROLE").Distinct().Select(c => (JsonNode)new JsonObject { ["type"] = c })]),
        };
        if (info.Id is { } id)
        {
            json["id"] = MesosIdJson.Of(id);
        }

        if (info.Principal is { } principal)
        {
            json["principal"] = principal;
        }

        if (info.Hostname is { } hostname)
        {
            json["hostname"] = hostname;
        }

        if (info.WebuiUrl is { } url)
        {
            json["webui_url"] = url;
        }

        return json;
    }
}
