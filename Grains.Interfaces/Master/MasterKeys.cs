namespace OrleansDcos.Grains.Master;

/// <summary>Keys of the master's singleton grains and registries.</summary>
public static class MasterKeys
{
    /// <summary>The allocator's key.</summary>
    public const string Allocator = "default";

    /// <summary>Agent registry shards.</summary>
    public const int AgentRegistryShards = 16;

    /// <summary>The registry shard holding <paramref name="agentId"/>.</summary>
    public static string AgentRegistry(string agentId) => $"agents-{(uint)StableHash(agentId) % AgentRegistryShards}";

    /// <summary>Every agent registry shard.</summary>
    public static IEnumerable<string> AllAgentRegistries => Enumerable.Range(0, AgentRegistryShards).Select(i => $"agents-{i}");

    /// <summary>The framework registry.</summary>
    public const string FrameworkRegistry = "frameworks";

    private static int StableHash(string value)
    {
        // FNV-1a: stable across processes (string.GetHashCode is randomized per process).
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
