using Orleans;

namespace OrleansDcos.Grains.Packages;

/// <summary>The cluster's package repositories, in priority order (one grain, key <see cref="Key"/>).</summary>
[Alias("dcos.IPackageRepositoriesGrain")]
public interface IPackageRepositoriesGrain : IGrainWithStringKey
{
    /// <summary>The grain's key.</summary>
    const string Key = "repositories";

    /// <summary>The repositories, first tried first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<PackageRepositoryInfo>> List();

    /// <summary>Adds a repository at <paramref name="index"/> (the end when null); a bad name or URI, or one already there, is refused.</summary>
    [Alias("Add")]
    Task<IReadOnlyList<PackageRepositoryInfo>> Add(PackageRepositoryInfo repository, int? index);

    /// <summary>Removes the repository with this name or URI (404 when there is none).</summary>
    [Alias("Remove")]
    Task<IReadOnlyList<PackageRepositoryInfo>> Remove(string? name, string? uri);
}
