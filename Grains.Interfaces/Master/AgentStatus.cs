using System.Text.Json.Serialization;

namespace OrleansDcos.Grains.Master;

/// <summary>An agent's standing in the master.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentStatus>))]
public enum AgentStatus
{
    /// <summary>Never registered (or unknown).</summary>
    Unknown,

    /// <summary>Registered and heard from within the silence bound: offered.</summary>
    Active,

    /// <summary>Registered, but told to drain: not offered; its tasks are being killed.</summary>
    Draining,

    /// <summary>Registered, in maintenance (drained): not offered.</summary>
    Maintenance,

    /// <summary>Silent past the bound, or its link broke and it did not come back: not offered, tasks UNREACHABLE.</summary>
    Unreachable,

    /// <summary>Removed by the operator: never offered again, its tasks are GONE. Final.</summary>
    Gone,

    /// <summary>Deactivated by the operator (Mesos' DEACTIVATE_AGENT): not offered, its tasks keep running.</summary>
    Deactivated,
}
