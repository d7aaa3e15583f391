namespace OrleansDcos.Grains.Master;

/// <summary>Names shared by the master's grains and streams.</summary>
public static class MasterStreams
{
    /// <summary>The durable stream namespace of task status events.</summary>
    public const string TaskStatusNamespace = "task-status";

    /// <summary>The key of the one stream every task status change is published on.</summary>
    public const string AllTasksKey = "all";

    /// <summary><see cref="TaskStatusEvent.Source"/> of updates the agent sent.</summary>
    public const string SourceAgent = "SOURCE_AGENT";

    /// <summary><see cref="TaskStatusEvent.Source"/> of updates the master made (agent lost, reconciliation, launch refused).</summary>
    public const string SourceMaster = "SOURCE_MASTER";
}
