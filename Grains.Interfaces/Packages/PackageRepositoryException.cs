namespace OrleansDcos.Grains.Packages;

/// <summary>A repository change refused: <see cref="Type"/> is Cosmos' error type (<c>RepositoryAlreadyPresent</c>, <c>RepositoryNotPresent</c>, <c>RepositoryUriSyntax</c>, …).</summary>
[Orleans.GenerateSerializer]
[Orleans.Alias("dcos.PackageRepositoryException")]
public sealed class PackageRepositoryException(string type, string message) : Exception(message)
{
    /// <summary>Cosmos' error type.</summary>
    [Orleans.Id(0)]
    public string Type { get; } = type;
}
