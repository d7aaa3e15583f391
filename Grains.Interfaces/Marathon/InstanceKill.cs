using System.Text.Json.Serialization;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A task to kill.</summary>
[GenerateSerializer]
[Alias("dcos.InstanceKill")]
public sealed record InstanceKill(string TaskId, string AgentId, double? GracePeriodSeconds);
