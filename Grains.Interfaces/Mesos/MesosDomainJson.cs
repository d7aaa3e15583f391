using System.Text.Json.Nodes;

namespace OrleansDcos.Mesos;

/// <summary>Mesos' <c>DomainInfo</c> JSON of a fault domain, as offers and the master's agents carry it.</summary>
public static class MesosDomainJson
{
    /// <summary><c>{"fault_domain": {"region": {"name"}, "zone": {"name"}}}</c>.</summary>
    public static JsonObject Of(string region, string? zone) => new()
    {
        ["fault_domain"] = new JsonObject { ["region"] = new JsonObject { ["name"] = region }, ["zone"] = new JsonObject { ["name"] = zone ?? "" } },
    };
}
