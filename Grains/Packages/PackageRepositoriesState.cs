using Orleans;


namespace OrleansDcos.Grains.Packages;

/// <summary>The repositories grain's saved state.</summary>
[GenerateSerializer]
[Alias("dcos.PackageRepositoriesState")]
public sealed class PackageRepositoriesState
{
    /// <summary>False until the defaults were put in (so deleting every repository sticks).</summary>
    [Id(0)]
    public bool Seeded { get; set; }

    /// <summary>The repositories in priority order.</summary>
    [Id(1)]
    public List<PackageRepositoryInfo> Repositories { get; set; } = [];
}
