using Microsoft.Extensions.Logging;

namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>What the node daemon logs (source-generated: nothing is formatted for a level that is off).</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "no usable cgroups under {Root}: tasks run without cpu and memory limits")]
    public static partial void NoCgroups(ILogger logger, string root);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent {AgentId}: process containerizer; Docker: {Docker}")]
    public static partial void Containerizers(ILogger logger, string agentId, string docker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "unreadable task record {File}: {Message}")]
    public static partial void UnreadableRecord(ILogger logger, string file, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "removed orphan Docker container {Container}")]
    public static partial void OrphanDockerRemoved(ILogger logger, string container);

    [LoggerMessage(Level = LogLevel.Warning, Message = "killed orphan container {Container}")]
    public static partial void OrphanKilled(ILogger logger, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent {AgentId}: recovered {Tasks} tasks, {Pending} with updates in flight")]
    public static partial void Recovered(ILogger logger, string agentId, int tasks, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "removed the sandbox {Sandbox} (older than {Delay} at {Used:P0} disk use)")]
    public static partial void SandboxRemoved(ILogger logger, string sandbox, TimeSpan delay, double used);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not remove the sandbox {Sandbox}: {Message}")]
    public static partial void SandboxNotRemoved(ILogger logger, string sandbox, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "task {TaskId} is already running here: launch ignored")]
    public static partial void AlreadyRunning(ILogger logger, string taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "task {TaskId}: the launch failed: {Message}")]
    public static partial void LaunchFailed(ILogger logger, string taskId, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "task {TaskId}: its failure could not be journaled: {Message}")]
    public static partial void FailureNotJournaled(ILogger logger, string taskId, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "task {TaskId}: its record could not be written: {Message}")]
    public static partial void RecordNotWritten(ILogger logger, string taskId, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "task {TaskId}: {Health} ({Message})")]
    public static partial void Health(ILogger logger, string taskId, string health, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "persistent volume {Volume} destroyed: its directory is deleted")]
    public static partial void VolumeDeleted(ILogger logger, string volume);

    [LoggerMessage(Level = LogLevel.Warning, Message = "persistent volumes could not be brought in line with the master's list: {Reason}")]
    public static partial void VolumeSyncFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "task {TaskId} is killed: {Why}")]
    public static partial void DiskLimit(ILogger logger, string taskId, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "task {TaskId}: its disk could not be measured: {Reason}")]
    public static partial void DiskNotMeasured(ILogger logger, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "task {TaskId} of group {GroupId} is killed: task {Failed} of the group failed")]
    public static partial void GroupKilled(ILogger logger, string taskId, string groupId, string failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent {AgentId} enrolled: its credential is kept in the work directory and presented from now on")]
    public static partial void Enrolled(ILogger logger, string agentId);
}
