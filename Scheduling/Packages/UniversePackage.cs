using System.Text.Json.Nodes;

namespace OrleansDcos.Scheduling.Packages;

/// <summary>
/// One release of a package as a repository holds it: its <c>package.json</c>, its options schema (<c>config.json</c>),
/// its Marathon template (<c>marathon.json.mustache</c>) or — this project's addition — a Chronos job template
/// (<c>chronos.json.mustache</c>), its assets (<c>resource.json</c>), and which repository it came from.
/// </summary>
public sealed record UniversePackage(
    PackageDefinition Definition,
    JsonObject? Config,
    string? MarathonTemplate,
    JsonObject? Resource,
    int ReleaseVersion,
    string Repository,
    string RepositoryUri,
    string? JobTemplate = null);
