
namespace OrleansDcos.Grains.Packages;

/// <summary>Settings of the package service (section <c>Packages</c>).</summary>
public sealed class PackagesOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Packages";

    /// <summary>The most repositories the cluster keeps.</summary>
    public const int MaxRepositories = 50;

    /// <summary>The repositories a cluster starts with (before any add or delete); the embedded silo's is the project's own.</summary>
    public List<PackageRepositoryInfo> DefaultRepositories { get; set; } = [];
}
