namespace OrleansDcos.Scheduling.Packages;

/// <summary>A package, repository or options document that cannot be used, with what is wrong with it.</summary>
public sealed class PackageException(string message) : Exception(message);
