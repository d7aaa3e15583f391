namespace OrleansDcos.Grains.Marathon.Validation;

/// <summary>A group as read: its id, every app under it, the dependencies of the groups in it that have some, and every group id in it (itself first).</summary>
public sealed record GroupDefinition(
    string GroupId,
    IReadOnlyList<AppDefinition> Apps,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies,
    IReadOnlyList<string> Groups);
