using System.Text.Json.Nodes;

namespace OrleansDcos.Mesos;

/// <summary>Mesos' id objects, <c>{"value": "…"}</c>, as the scheduler codec writes them.</summary>
public static class MesosIdJson
{
    /// <summary><c>{"value": id}</c>.</summary>
    public static JsonObject Of(string id) => new() { ["value"] = id };

    /// <summary>An array of id objects.</summary>
    public static JsonArray ArrayOf(IEnumerable<string> ids) => new([.. ids.Select(id => (JsonNode)Of(id))]);

    /// <summary>A uuid as Mesos writes its bytes (RFC 4122 order), in base64.</summary>
    public static string UuidOf(Guid uuid) => Convert.ToBase64String(uuid.ToByteArray(bigEndian: true));
}
