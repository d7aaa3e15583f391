using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// The groups at or under <see cref="GroupId"/> become exactly <see cref="Groups"/> (empty: the group is removed), with
/// exactly <see cref="Dependencies"/> (group id → the paths it depends on).
/// </summary>
[GenerateSerializer]
[Alias("dcos.GroupUpdate")]
public sealed record GroupUpdate(string GroupId, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies);
