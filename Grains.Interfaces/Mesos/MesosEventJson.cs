using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Master;
using static OrleansDcos.Mesos.MesosJsonReader;

namespace OrleansDcos.Mesos;

/// <summary>Mesos' v1 scheduler <c>Event</c> (OFFERS, RESCIND, UPDATE, FAILURE, ERROR): written by the scheduler API, read by the client SDK.</summary>
public static class MesosEventJson
{
    /// <summary>Writes <paramref name="event"/>.</summary>
    public static JsonObject Write(FrameworkEvent @event) => @event.Type switch
    {
        FrameworkEventTypes.Offers => new JsonObject
        {
            ["type"] = "OFFERS",
            ["offers"] = new JsonObject { ["offers"] = new JsonArray([.. @event.Offers!.Select(o => (JsonNode)MesosOfferJson.Write(o))]) },
        },
        FrameworkEventTypes.Rescind => new JsonObject { ["type"] = "RESCIND", ["rescind"] = new JsonObject { ["offer_id"] = MesosIdJson.Of(@event.OfferId!) } },
        FrameworkEventTypes.Update => new JsonObject { ["type"] = "UPDATE", ["update"] = new JsonObject { ["status"] = MesosTaskStatusJson.Write(@event.Status!) } },
        FrameworkEventTypes.Failure => new JsonObject { ["type"] = "FAILURE", ["failure"] = new JsonObject { ["agent_id"] = MesosIdJson.Of(@event.AgentId!) } },
        _ => new JsonObject { ["type"] = "ERROR", ["error"] = new JsonObject { ["message"] = @event.Message ?? "" } },
    };

    /// <summary>Reads an event; null for HEARTBEAT and types this codec does not know (a newer master may send more).</summary>
    /// <exception cref="MesosJsonException">A known event is malformed.</exception>
    public static FrameworkEvent? Read(JsonElement @event, string path) => String(@event, "type", path) switch
    {
        "OFFERS" => new FrameworkEvent(
            FrameworkEventTypes.Offers,
            Offers: [.. Array(Required(@event, "offers", path), "offers", $"{path}.offers").Select((o, i) => MesosOfferJson.Read(o, $"{path}.offers.offers[{i}]"))]),
        "RESCIND" => new FrameworkEvent(FrameworkEventTypes.Rescind, OfferId: Id(Required(@event, "rescind", path), "offer_id", $"{path}.rescind")),
        "UPDATE" => new FrameworkEvent(FrameworkEventTypes.Update, Status: MesosTaskStatusJson.Read(Required(Required(@event, "update", path), "status", $"{path}.update"), $"{path}.update.status")),
        "FAILURE" => new FrameworkEvent(FrameworkEventTypes.Failure, AgentId: OptionalId(Required(@event, "failure", path), "agent_id", $"{path}.failure")),
        "ERROR" => new FrameworkEvent(FrameworkEventTypes.Error, Message: Optional(@event, "error", path) is { } error ? OptionalString(error, "message", $"{path}.error") : null),
        _ => null,
    };
}
