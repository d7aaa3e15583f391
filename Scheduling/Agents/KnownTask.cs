using OrleansDcos.Mesos;

namespace OrleansDcos.Scheduling.Agents;

/// <summary>A task as the master last knew it on an agent: its state, and whether a kill was asked.</summary>
public sealed record KnownTask(TaskState State, bool KillRequested);
