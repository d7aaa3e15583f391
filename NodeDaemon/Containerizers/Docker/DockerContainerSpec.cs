namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

/// <summary>What to create: image, command, limits, environment, labels and host-path volumes.
/// Containers always use host networking (no bridge exists on our agents).</summary>
public sealed record DockerContainerSpec(string Image, IReadOnlyList<string> Command)
{
    /// <summary>Container name; null lets the engine choose.</summary>
    public string? Name { get; init; }

    /// <summary>Environment as <c>KEY=value</c> pairs.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels; the node daemon puts the task id here to find its containers again.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Memory limit in bytes; 0 = none.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>CPU limit in billionths of a CPU (0.5 cpus = 500,000,000); 0 = none.</summary>
    public long NanoCpus { get; init; }

    /// <summary>Host-path volumes as <c>/host/path:/container/path[:ro]</c>.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];
}
