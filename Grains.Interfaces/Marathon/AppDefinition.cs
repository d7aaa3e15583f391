using System.Text.Json;
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

    /// <summary>Environment variables.</summary>
    [JsonPropertyName("env")]
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
}

/// <summary>The kill selections.</summary>
public static class KillSelections
{
    /// <summary>Kill the newest instances first (Marathon's default).</summary>
    public const string YoungestFirst = "YOUNGEST_FIRST";

    /// <summary>Kill the oldest instances first.</summary>
    public const string OldestFirst = "OLDEST_FIRST";
}

/// <summary>A fetched URI.</summary>
[GenerateSerializer]
[Alias("dcos.FetchUriDefinition")]
public sealed record FetchUriDefinition
{
    /// <summary>The URI.</summary>
    [JsonPropertyName("uri")]
    [Id(0)]
    public required string Uri { get; init; }

    /// <summary>Unpack archives.</summary>
    [JsonPropertyName("extract")]
    [Id(1)]
    public bool Extract { get; init; } = true;

    /// <summary>Mark executable.</summary>
    [JsonPropertyName("executable")]
    [Id(2)]
    public bool Executable { get; init; }

    /// <summary>Use the agent's cache.</summary>
    [JsonPropertyName("cache")]
    [Id(3)]
    public bool Cache { get; init; }

    /// <summary>Name to save as.</summary>
    [JsonPropertyName("destPath")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(4)]
    public string? DestPath { get; init; }
}

/// <summary>The container of an app.</summary>
[GenerateSerializer]
[Alias("dcos.ContainerDefinition")]
public sealed record ContainerDefinition
{
    /// <summary>DOCKER or MESOS.</summary>
    [JsonPropertyName("type")]
    [Id(0)]
    public string Type { get; init; } = "DOCKER";

    /// <summary>The Docker settings (DOCKER only).</summary>
    [JsonPropertyName("docker")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(1)]
    public DockerDefinition? Docker { get; init; }

    /// <summary>Host-path volumes.</summary>
    [JsonPropertyName("volumes")]
    [Id(2)]
    public IReadOnlyList<VolumeDefinition> Volumes { get; init; } = [];
}

/// <summary>Docker settings of an app (host networking only).</summary>
[GenerateSerializer]
[Alias("dcos.DockerDefinition")]
public sealed record DockerDefinition
{
    /// <summary>The image.</summary>
    [JsonPropertyName("image")]
    [Id(0)]
    public required string Image { get; init; }

    /// <summary>Pull before every launch.</summary>
    [JsonPropertyName("forcePullImage")]
    [Id(1)]
    public bool ForcePullImage { get; init; }

    /// <summary>Always false (privileged containers are refused).</summary>
    [JsonPropertyName("privileged")]
    [Id(2)]
    public bool Privileged { get; init; }

    /// <summary>Always HOST.</summary>
    [JsonPropertyName("network")]
    [Id(3)]
    public string Network { get; init; } = "HOST";
}

/// <summary>A host-path volume.</summary>
[GenerateSerializer]
[Alias("dcos.VolumeDefinition")]
public sealed record VolumeDefinition
{
    /// <summary>Path inside the container.</summary>
    [JsonPropertyName("containerPath")]
    [Id(0)]
    public required string ContainerPath { get; init; }

    /// <summary>Path on the agent.</summary>
    [JsonPropertyName("hostPath")]
    [Id(1)]
    public required string HostPath { get; init; }

    /// <summary>RO or RW.</summary>
    [JsonPropertyName("mode")]
    [Id(2)]
    public string Mode { get; init; } = "RW";
}

/// <summary>A port of an app.</summary>
[GenerateSerializer]
[Alias("dcos.PortDefinition")]
public sealed record PortDefinition
{
    /// <summary>The service port (0 = assign one from the service-port range).</summary>
    [JsonPropertyName("port")]
    [Id(0)]
    public int Port { get; init; }

    /// <summary>tcp, udp or udp,tcp.</summary>
    [JsonPropertyName("protocol")]
    [Id(1)]
    public string Protocol { get; init; } = "tcp";

    /// <summary>Name (PORT_NAME in the environment, readiness checks' portName).</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(2)]
    public string? Name { get; init; }

    /// <summary>Labels.</summary>
    [JsonPropertyName("labels")]
    [Id(3)]
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>A health check (run by the agent next to the task).</summary>
[GenerateSerializer]
[Alias("dcos.HealthCheckDefinition")]
public sealed record HealthCheckDefinition
{
    /// <summary>HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS or MESOS_TCP.</summary>
    [JsonPropertyName("protocol")]
    [Id(0)]
    public string Protocol { get; init; } = "HTTP";

    /// <summary>HTTP path.</summary>
    [JsonPropertyName("path")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(1)]
    public string? Path { get; init; }

    /// <summary>Index into the task's ports.</summary>
    [JsonPropertyName("portIndex")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(2)]
    public int? PortIndex { get; init; }

    /// <summary>A fixed port instead of <see cref="PortIndex"/>.</summary>
    [JsonPropertyName("port")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(3)]
    public int? Port { get; init; }

    /// <summary>COMMAND checks: the command.</summary>
    [JsonPropertyName("command")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(4)]
    public HealthCheckCommand? Command { get; init; }

    /// <summary>Failures are ignored this long after start until the first success.</summary>
    [JsonPropertyName("gracePeriodSeconds")]
    [Id(5)]
    public double GracePeriodSeconds { get; init; } = 300;

    /// <summary>Seconds between checks.</summary>
    [JsonPropertyName("intervalSeconds")]
    [Id(6)]
    public double IntervalSeconds { get; init; } = 60;

    /// <summary>A check slower than this fails.</summary>
    [JsonPropertyName("timeoutSeconds")]
    [Id(7)]
    public double TimeoutSeconds { get; init; } = 20;

    /// <summary>Consecutive failures after which the task is killed (0 = never).</summary>
    [JsonPropertyName("maxConsecutiveFailures")]
    [Id(8)]
    public int MaxConsecutiveFailures { get; init; } = 3;

    /// <summary>Seconds before the first check.</summary>
    [JsonPropertyName("delaySeconds")]
    [Id(9)]
    public double DelaySeconds { get; init; } = 15;

    /// <summary>Accepted for compatibility (1xx answers are never healthy here).</summary>
    [JsonPropertyName("ignoreHttp1xx")]
    [Id(10)]
    public bool IgnoreHttp1xx { get; init; }
}

/// <summary>The command of a COMMAND health check.</summary>
[GenerateSerializer]
[Alias("dcos.HealthCheckCommand")]
public sealed record HealthCheckCommand([property: JsonPropertyName("value")] string Value);

/// <summary>A readiness check: HTTP GETs on a named port until one answers with a ready status.</summary>
[GenerateSerializer]
[Alias("dcos.ReadinessCheckDefinition")]
public sealed record ReadinessCheckDefinition
{
    /// <summary>Name.</summary>
    [JsonPropertyName("name")]
    [Id(0)]
    public string Name { get; init; } = "readinessCheck";

    /// <summary>HTTP or HTTPS.</summary>
    [JsonPropertyName("protocol")]
    [Id(1)]
    public string Protocol { get; init; } = "HTTP";

    /// <summary>Path.</summary>
    [JsonPropertyName("path")]
    [Id(2)]
    public string Path { get; init; } = "/";

    /// <summary>Name of one of the app's ports.</summary>
    [JsonPropertyName("portName")]
    [Id(3)]
    public string PortName { get; init; } = "http-api";

    /// <summary>Seconds between checks.</summary>
    [JsonPropertyName("intervalSeconds")]
    [Id(4)]
    public double IntervalSeconds { get; init; } = 30;

    /// <summary>A check slower than this fails.</summary>
    [JsonPropertyName("timeoutSeconds")]
    [Id(5)]
    public double TimeoutSeconds { get; init; } = 10;

    /// <summary>Statuses that mean ready.</summary>
    [JsonPropertyName("httpStatusCodesForReady")]
    [Id(6)]
    public IReadOnlyList<int> HttpStatusCodesForReady { get; init; } = [200];

    /// <summary>Keep the last response in the deployment's readiness results.</summary>
    [JsonPropertyName("preserveLastResponse")]
    [Id(7)]
    public bool PreserveLastResponse { get; init; }
}

/// <summary>Capacity bounds of a rolling restart, as fractions of instances.</summary>
[GenerateSerializer]
[Alias("dcos.UpgradeStrategyDefinition")]
public sealed record UpgradeStrategyDefinition
{
    /// <summary>At least ceil(this × instances) healthy instances stay up.</summary>
    [JsonPropertyName("minimumHealthCapacity")]
    [Id(0)]
    public double MinimumHealthCapacity { get; init; } = 1;

    /// <summary>At most ceil((1 + this) × instances) instances live at once.</summary>
    [JsonPropertyName("maximumOverCapacity")]
    [Id(1)]
    public double MaximumOverCapacity { get; init; } = 1;
}

/// <summary>When instances on an unreachable agent are replaced and when they are forgotten (Marathon's defaults for tasks without persistent volumes: 5 and 10 minutes).</summary>
[GenerateSerializer]
[Alias("dcos.UnreachableStrategyDefinition")]
public sealed record UnreachableStrategyDefinition
{
    /// <summary>Marathon's default <see cref="InactiveAfterSeconds"/>.</summary>
    public const double DefaultInactiveAfterSeconds = 300;

    /// <summary>Marathon's default <see cref="ExpungeAfterSeconds"/>.</summary>
    public const double DefaultExpungeAfterSeconds = 600;

    /// <summary>Seconds unreachable after which a replacement is launched.</summary>
    [JsonPropertyName("inactiveAfterSeconds")]
    [Id(0)]
    public double InactiveAfterSeconds { get; init; } = DefaultInactiveAfterSeconds;

    /// <summary>Seconds unreachable after which the instance is expunged (killed if it comes back).</summary>
    [JsonPropertyName("expungeAfterSeconds")]
    [Id(1)]
    public double ExpungeAfterSeconds { get; init; } = DefaultExpungeAfterSeconds;
}

/// <summary>When an app was last scaled and last changed otherwise.</summary>
[GenerateSerializer]
[Alias("dcos.VersionInfo")]
public sealed record VersionInfo(
    [property: JsonPropertyName("lastScalingAt")] string LastScalingAt,
    [property: JsonPropertyName("lastConfigChangeAt")] string LastConfigChangeAt);

/// <summary>Writes a disabled unreachable strategy as Marathon does, the string <c>"disabled"</c>.</summary>
public sealed class UnreachableStrategyConverter : JsonConverter<UnreachableStrategyDefinition?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override UnreachableStrategyDefinition? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => null,
            _ => JsonSerializer.Deserialize<UnreachableStrategyDefinition>(ref reader, options),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, UnreachableStrategyDefinition? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteStringValue("disabled");
        }
        else
        {
            JsonSerializer.Serialize(writer, value, options);
        }
    }
}
