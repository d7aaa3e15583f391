using OrleansDcos.Mesos;

namespace OrleansDcos.Scheduling.Agents;

/// <summary>A task as a decision needs it: its id, its framework and its state.</summary>
public sealed record TaskView(string TaskId, string FrameworkId, TaskState State);
