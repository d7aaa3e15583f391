using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>An app with its instances and counts, for the API.</summary>
[GenerateSerializer]
[Alias("dcos.AppStatus")]
public sealed record AppStatus(
    AppDefinition? Definition,
    IReadOnlyList<InstanceRecord> Instances,
    string? DeploymentId,
    TaskFailureInfo? LastTaskFailure,
    DateTimeOffset? DelayUntil);
