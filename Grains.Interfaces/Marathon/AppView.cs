using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>An app's definition (null when it does not exist) and its task counts, as <c>/v2/apps</c> lists them.</summary>
[GenerateSerializer]
[Alias("dcos.AppView")]
public sealed record AppView(AppDefinition? Definition, AppCounts? Counts);
