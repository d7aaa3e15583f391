using Orleans;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Master;

/// <summary>One status a task went through, as Mesos lists them in a task's <c>statuses</c>: its state, when, and its health.</summary>
[GenerateSerializer]
[Alias("dcos.TaskStatusEntry")]
public readonly record struct TaskStatusEntry(
    [property: Id(0)] TaskState State,
    [property: Id(1)] double Timestamp,
    [property: Id(2)] bool? Healthy);
