using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>One app to create or replace (<see cref="Definition"/>) or remove (null); <see cref="Create"/>: it must not exist yet (409).</summary>
[GenerateSerializer]
[Alias("dcos.AppChange")]
public sealed record AppChange(string AppId, AppDefinition? Definition, bool Create = false);
