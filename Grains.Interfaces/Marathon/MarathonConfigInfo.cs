using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// <c>/v2/info</c>'s <c>marathon_config</c>: Marathon's settings under Marathon's names and units (durations in
/// milliseconds, the failover timeout in seconds), filled from the silo's own settings.
/// </summary>
[GenerateSerializer]
[Alias("dcos.MarathonConfigInfo")]
public sealed record MarathonConfigInfo(
    [property: JsonPropertyName("checkpoint")] bool Checkpoint,
    [property: JsonPropertyName("decline_offer_duration")] long DeclineOfferDuration,
    [property: JsonPropertyName("executor")] string Executor,
    [property: JsonPropertyName("failover_timeout")] long FailoverTimeout,
    [property: JsonPropertyName("features")] IReadOnlyList<string> Features,
    [property: JsonPropertyName("framework_name")] string FrameworkName,
    [property: JsonPropertyName("ha")] bool Ha,
    [property: JsonPropertyName("hostname")] string Hostname,
    [property: JsonPropertyName("local_port_max")] int LocalPortMax,
    [property: JsonPropertyName("local_port_min")] int LocalPortMin,
    [property: JsonPropertyName("master")] string Master,
    [property: JsonPropertyName("mesos_leader_ui_url")] string MesosLeaderUiUrl,
    [property: JsonPropertyName("mesos_role")] string? MesosRole,
    [property: JsonPropertyName("mesos_user")] string MesosUser,
    [property: JsonPropertyName("reconciliation_initial_delay")] long ReconciliationInitialDelay,
    [property: JsonPropertyName("reconciliation_interval")] long ReconciliationInterval,
    [property: JsonPropertyName("task_launch_timeout")] long TaskLaunchTimeout,
    [property: JsonPropertyName("webui_url")] string? WebuiUrl);
