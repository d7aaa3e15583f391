using System.Text.Json.Serialization;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon;

/// <summary>One app to create or replace (<see cref="Definition"/>) or remove (null); <see cref="Create"/>: it must not exist yet (409).</summary>
[GenerateSerializer]
[Alias("dcos.AppChange")]
public sealed record AppChange(string AppId, AppDefinition? Definition, bool Create = false);
