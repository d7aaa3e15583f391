using System.Text.Json.Serialization;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The scheduler's framework status.</summary>
[GenerateSerializer]
[Alias("dcos.SchedulerStatus")]
public sealed record SchedulerStatus(string FrameworkId, bool Subscribed);
