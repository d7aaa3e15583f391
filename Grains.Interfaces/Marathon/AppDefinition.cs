using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// A Marathon app, in Marathon's JSON shape with its defaults filled in (what <c>GET /v2/apps/{id}</c> answers
/// and what a version keeps). Built by the validator from what a caller sent; never trusted as sent.
/// </summary>
[GenerateSerializer]
[Alias("dcos.AppDefinition")]
public sealed record AppDefinition
{
    /// <summary>Absolute path id, e.g. <c>/prod/web</c>.</summary>
    [JsonPropertyName("id")]
    [Id(0)]
    public required string Id { get; init; }

    /// <summary>Shell command (<c>sh -c</c>).</summary>
    [JsonPropertyName("cmd")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(1)]
    public string? Cmd { get; init; }

    /// <summary>Program and arguments, run without a shell.</summary>
    [JsonPropertyName("args")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(2)]
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>The user to run as.</summary>
    [JsonPropertyName("user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(3)]
    public string? User { get; init; }

    /// <summary>Environment variables; one taken from a secret holds <see cref="EnvJsonConverter.SecretReference"/> (Marathon's <c>{"secret": name}</c>).</summary>
    [JsonPropertyName("env")]
    [JsonConverter(typeof(EnvJsonConverter))]
    [Id(4)]
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Desired number of instances.</summary>
    [JsonPropertyName("instances")]
    [Id(5)]
    public int Instances { get; init; } = 1;

    /// <summary>CPU shares per instance.</summary>
    [JsonPropertyName("cpus")]
    [Id(6)]
    public double Cpus { get; init; } = 1;

    /// <summary>Memory per instance, MiB.</summary>
    [JsonPropertyName("mem")]
    [Id(7)]
    public double Mem { get; init; } = 128;

    /// <summary>Disk per instance, MiB.</summary>
    [JsonPropertyName("disk")]
    [Id(8)]
    public double Disk { get; init; }

    /// <summary>GPUs per instance.</summary>
    [JsonPropertyName("gpus")]
    [Id(9)]
    public int Gpus { get; init; }

    /// <summary>Always empty (the command executor).</summary>
    [JsonPropertyName("executor")]
    [Id(10)]
    public string Executor { get; init; } = "";

    /// <summary>Placement constraints, <c>[field, OPERATOR, value?]</c>.</summary>
    [JsonPropertyName("constraints")]
    [Id(11)]
    public IReadOnlyList<IReadOnlyList<string>> Constraints { get; init; } = [];

    /// <summary>URIs fetched into the sandbox before the task starts.</summary>
    [JsonPropertyName("fetch")]
    [Id(12)]
    public IReadOnlyList<FetchUriDefinition> Fetch { get; init; } = [];

    /// <summary>Initial launch delay after a failure, seconds.</summary>
    [JsonPropertyName("backoffSeconds")]
    [Id(13)]
    public double BackoffSeconds { get; init; } = 1;

    /// <summary>Factor the delay grows by on each further failure.</summary>
    [JsonPropertyName("backoffFactor")]
    [Id(14)]
    public double BackoffFactor { get; init; } = 1.15;

    /// <summary>Upper bound of the launch delay, seconds.</summary>
    [JsonPropertyName("maxLaunchDelaySeconds")]
    [Id(15)]
    public double MaxLaunchDelaySeconds { get; init; } = 300;

    /// <summary>Docker or Mesos container; null runs the command as a process.</summary>
    [JsonPropertyName("container")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(16)]
    public ContainerDefinition? Container { get; init; }

    /// <summary>Health checks (at most one is supported).</summary>
    [JsonPropertyName("healthChecks")]
    [Id(17)]
    public IReadOnlyList<HealthCheckDefinition> HealthChecks { get; init; } = [];

    /// <summary>Readiness checks a deployment waits for.</summary>
    [JsonPropertyName("readinessChecks")]
    [Id(18)]
    public IReadOnlyList<ReadinessCheckDefinition> ReadinessChecks { get; init; } = [];

    /// <summary>Apps (or groups) that must be deployed first.</summary>
    [JsonPropertyName("dependencies")]
    [Id(19)]
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>Capacity bounds of rolling restarts.</summary>
    [JsonPropertyName("upgradeStrategy")]
    [Id(20)]
    public UpgradeStrategyDefinition UpgradeStrategy { get; init; } = new();

    /// <summary>Labels.</summary>
    [JsonPropertyName("labels")]
    [Id(21)]
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Roles whose resources the tasks may use; null = any role of the framework.</summary>
    [JsonPropertyName("acceptedResourceRoles")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(22)]
    public IReadOnlyList<string>? AcceptedResourceRoles { get; init; }

    /// <summary>Host ports (and their service ports).</summary>
    [JsonPropertyName("portDefinitions")]
    [Id(23)]
    public IReadOnlyList<PortDefinition> PortDefinitions { get; init; } = [];

    /// <summary>True: the host ports are exactly the ports of <see cref="PortDefinitions"/>.</summary>
    [JsonPropertyName("requirePorts")]
    [Id(24)]
    public bool RequirePorts { get; init; }

    /// <summary>Which instances a scale-down kills first: YOUNGEST_FIRST or OLDEST_FIRST.</summary>
    [JsonPropertyName("killSelection")]
    [Id(25)]
    public string KillSelection { get; init; } = KillSelections.YoungestFirst;

    /// <summary>What happens to instances on unreachable agents; null = disabled.</summary>
    [JsonPropertyName("unreachableStrategy")]
    [JsonConverter(typeof(UnreachableStrategyConverter))]
    [Id(26)]
    public UnreachableStrategyDefinition? UnreachableStrategy { get; init; } = new();

    /// <summary>Seconds between SIGTERM and SIGKILL when a task is killed; null = the agent's default.</summary>
    [JsonPropertyName("taskKillGracePeriodSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(27)]
    public double? TaskKillGracePeriodSeconds { get; init; }

    /// <summary>The version (ISO-8601 timestamp) this definition became current.</summary>
    [JsonPropertyName("version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(28)]
    public string? Version { get; init; }

    /// <summary>When the app was last scaled and last changed otherwise.</summary>
    [JsonPropertyName("versionInfo")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(29)]
    public VersionInfo? VersionInfo { get; init; }

    /// <summary>The networks its tasks join: the agent's own (host), as Marathon shows by default.</summary>
    [JsonPropertyName("networks")]
    [Id(30)]
    public IReadOnlyList<NetworkDefinition> Networks { get; init; } = [NetworkDefinition.Host];

    /// <summary>The role its tasks run under (Marathon 1.9+); here always <c>*</c>: resources are chosen by <see cref="AcceptedResourceRoles"/>.</summary>
    [JsonPropertyName("role")]
    [Id(31)]
    public string Role { get; init; } = "*";

    /// <summary>The pod this definition is (<c>/v2/pods</c>), or null for an app.</summary>
    [JsonPropertyName("pod")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(32)]
    public PodSpec? Pod { get; init; }

    /// <summary>The secrets its environment refers to: name → path in the secret store (Marathon's <c>{"name": {"source": path}}</c>).</summary>
    [JsonPropertyName("secrets")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(SecretSourcesJsonConverter))]
    [Id(33)]
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }
}
