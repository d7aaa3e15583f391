using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Scheduling.Resources;
using static OrleansDcos.Mesos.MesosJsonReader;

namespace OrleansDcos.Mesos;

/// <summary>
/// Mesos' v1 <c>Offer</c>: written by the scheduler API (with the agent's <c>url</c>, and its <c>domain</c> when it has
/// a fault domain), read by the client SDK.
/// </summary>
public static class MesosOfferJson
{
    /// <summary>Writes <paramref name="offer"/>.</summary>
    public static JsonObject Write(OfferInfo offer)
    {
        var json = new JsonObject
        {
            ["id"] = MesosIdJson.Of(offer.OfferId),
            ["framework_id"] = MesosIdJson.Of(offer.FrameworkId),
            ["agent_id"] = MesosIdJson.Of(offer.AgentId),
            ["hostname"] = offer.Hostname,
            ["url"] = new JsonObject
            {
                ["scheme"] = "http",
                ["address"] = new JsonObject { ["hostname"] = offer.Hostname, ["ip"] = offer.Address ?? offer.Hostname, ["port"] = offer.Port },
                ["path"] = "/slave(1)",
            },
            ["resources"] = MesosResourceJson.ToJson(offer.Resources, offer.Role),
            ["allocation_info"] = new JsonObject { ["role"] = offer.Role },
        };
        if (MesosResourceJson.AttributesToJson(offer.Attributes) is { Count: > 0 } attributes)
        {
            // As Mesos writes protobuf as JSON: an empty repeated field (attributes, executor_ids) is left out.
            json["attributes"] = attributes;
        }

        if (offer.Region is { } region)
        {
            json["domain"] = MesosDomainJson.Of(region, offer.Zone);
        }

        return json;
    }

    /// <summary>Reads an offer.</summary>
    /// <exception cref="MesosJsonException">A field is missing or of the wrong kind.</exception>
    public static OfferInfo Read(JsonElement offer, string path)
    {
        var address = Optional(offer, "url", path) is { } url ? Optional(url, "address", $"{path}.url") : null;
        var domain = Optional(offer, "domain", path) is { } d ? Optional(d, "fault_domain", $"{path}.domain") : null;
        return new OfferInfo(
            Id(offer, "id", path),
            Id(offer, "framework_id", path),
            Id(offer, "agent_id", path),
            String(offer, "hostname", path),
            Optional(offer, "allocation_info", path) is { } allocation ? OptionalString(allocation, "role", $"{path}.allocation_info") ?? Resource.AnyRole : Resource.AnyRole,
            MesosResourceJson.FromJson(Array(offer, "resources", path), $"{path}.resources"),
            MesosResourceJson.AttributesFromJson(Array(offer, "attributes", path), $"{path}.attributes"),
            address is { } a ? OptionalString(a, "ip", $"{path}.url.address") : null,
            address is { } p && OptionalNumber(p, "port", $"{path}.url.address") is { } port ? (int)port : AgentInfo.DefaultPort,
            domain is { } fd ? Name(fd, "region", $"{path}.domain.fault_domain") : null,
            domain is { } fz ? Name(fz, "zone", $"{path}.domain.fault_domain") : null);
    }

    private static string? Name(JsonElement domain, string name, string path) =>
        Optional(domain, name, path) is { } part ? OptionalString(part, "name", $"{path}.{name}") : null;
}
