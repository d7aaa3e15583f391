using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>The secrets grain's saved state.</summary>
[GenerateSerializer]
[Alias("dcos.SecretsState")]
public sealed class SecretsState
{
    /// <summary>Sealed secrets by path.</summary>
    [Id(0)]
    public Dictionary<string, StoredSecret> Secrets { get; set; } = new(StringComparer.Ordinal);
}
