using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>Where the master knows a task to be (framework task index).</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkTask")]
public sealed record FrameworkTask(string TaskId, string AgentId, OrleansDcos.Mesos.TaskState State);
