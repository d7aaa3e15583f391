using System.Text.Json.Nodes;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>One event of Marathon's event bus: its type and its JSON (with <c>eventType</c> and <c>timestamp</c>, Marathon's shape).</summary>
[GenerateSerializer]
[Alias("dcos.MarathonEvent")]
public sealed record MarathonEvent(string EventType, string Json)
{
    /// <summary>An event of <paramref name="eventType"/> with <paramref name="fields"/>, stamped <paramref name="at"/>.</summary>
    public static MarathonEvent Of(DateTimeOffset at, string eventType, JsonObject fields)
    {
        var json = new JsonObject { ["eventType"] = eventType, ["timestamp"] = MarathonKeys.Timestamp(at) };
        foreach (var (name, value) in fields)
        {
            json[name] = value?.DeepClone();
        }

        return new MarathonEvent(eventType, json.ToJsonString());
    }
}
