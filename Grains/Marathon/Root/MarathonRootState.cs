using OrleansDcos.Grains.Marathon.Deployments;

namespace OrleansDcos.Grains.Marathon.Root;

/// <summary>What the root keeps.</summary>
public sealed class MarathonRootState
{
    /// <summary>Every app that exists.</summary>
    public HashSet<string> AppIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Running deployments, oldest first.</summary>
    public List<DeploymentRecord> Deployments { get; set; } = [];

    /// <summary>The last version handed out (versions only ever grow).</summary>
    public string LastVersion { get; set; } = string.Empty;

    /// <summary>Groups created explicitly (POST/PUT of a group): they exist, empty or not, until deleted.</summary>
    public HashSet<string> Groups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Dependencies of the groups that have some (every app under such a group depends on them).</summary>
    public Dictionary<string, IReadOnlyList<string>> GroupDependencies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each group's versions (the deployments that changed something under it), newest first.</summary>
    public Dictionary<string, List<string>> GroupVersions { get; set; } = new(StringComparer.Ordinal);
}
