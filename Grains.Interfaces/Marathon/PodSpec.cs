using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// What makes an app a Marathon pod (<c>/v2/pods</c>): several containers launched together on one agent as a Mesos
/// task group, sharing the agent's network and the pod's volumes. The app's cpus, mem, disk, gpus and ports are the
/// pod's totals (containers and executor), so placement sees one instance as it sees an app's.
/// </summary>
/// <param name="Containers">The containers, each a task of the group.</param>
/// <param name="Volumes">The pod's volumes (ephemeral, or a host path).</param>
/// <param name="ExecutorCpus">The executor's cpus (Marathon's executorResources; default 0.1).</param>
/// <param name="ExecutorMem">The executor's memory, MiB (default 32).</param>
/// <param name="ExecutorDisk">The executor's disk, MiB (default 10).</param>
[GenerateSerializer]
[Alias("dcos.PodSpec")]
public sealed record PodSpec(
    [property: JsonPropertyName("containers")] IReadOnlyList<PodContainerSpec> Containers,
    [property: JsonPropertyName("volumes")] IReadOnlyList<PodVolumeSpec> Volumes,
    [property: JsonPropertyName("executorCpus")] double ExecutorCpus = 0.1,
    [property: JsonPropertyName("executorMem")] double ExecutorMem = 32,
    [property: JsonPropertyName("executorDisk")] double ExecutorDisk = 10);
