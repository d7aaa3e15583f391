using OrleansDcos.Mesos;

namespace OrleansDcos.Tests.Support.Master;

/// <summary>What a simulated task does: how long after launch it runs, and how it ends (null: runs until killed).</summary>
public sealed record SimulatedOutcome(TimeSpan StartDelay, TimeSpan? RunFor = null, TaskState End = TaskState.TASK_FINISHED);
