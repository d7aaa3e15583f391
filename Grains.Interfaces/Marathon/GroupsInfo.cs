using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The groups created explicitly (they exist even without apps), the dependencies of those that have some, and each group's versions, newest first.</summary>
[GenerateSerializer]
[Alias("dcos.GroupsInfo")]
public sealed record GroupsInfo(
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Versions);
