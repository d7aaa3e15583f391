using Microsoft.Extensions.Logging;

namespace OrleansDcos.Grains.Master;

/// <summary>What the master's grains log (source-generated: nothing is formatted for a level that is off).</summary>
internal static partial class MasterLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "agent {AgentId} ({Hostname}) registered with {Tasks} tasks; {Kill} to kill")]
    public static partial void AgentRegistered(ILogger logger, string agentId, string hostname, int tasks, int kill);

    [LoggerMessage(Level = LogLevel.Debug, Message = "agent {AgentId}: {Count} updates ({Fresh} new): {States}")]
    public static partial void AgentUpdates(ILogger logger, string agentId, int count, int fresh, IEnumerable<string> states);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent {AgentId}: link closed; unreachable in {Timeout} unless it comes back")]
    public static partial void AgentLinkClosed(ILogger logger, string agentId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Debug, Message = "agent {AgentId}: launch {Tasks} (link {Link}, {Status})")]
    public static partial void AgentLaunch(ILogger logger, string agentId, IEnumerable<string> tasks, Guid? link, AgentStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent {AgentId} {Why}: unreachable")]
    public static partial void AgentUnreachable(ILogger logger, string agentId, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent {AgentId}: {Count} status updates could not be published: {Message}")]
    public static partial void AgentUpdatesNotPublished(ILogger logger, string agentId, int count, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "framework {FrameworkId} ({Name}) subscribed")]
    public static partial void FrameworkSubscribed(ILogger logger, string frameworkId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "framework {FrameworkId} disconnected; failover timeout {Timeout} s")]
    public static partial void FrameworkDisconnected(ILogger logger, string frameworkId, double timeout);

    [LoggerMessage(Level = LogLevel.Debug, Message = "framework {FrameworkId}: ACCEPT of {Offers} with {Tasks} tasks on {Agent}: {Problem}")]
    public static partial void FrameworkAccept(ILogger logger, string frameworkId, IEnumerable<string> offers, int tasks, string? agent, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "framework {FrameworkId}: {Count} updates not yet published (attempt {Attempt}): {Message}")]
    public static partial void FrameworkUpdatesRetried(ILogger logger, string frameworkId, int count, int attempt, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "framework {FrameworkId}: {Count} updates could not be published")]
    public static partial void FrameworkUpdatesLost(ILogger logger, Exception exception, string frameworkId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "framework {FrameworkId} removed: {Why}")]
    public static partial void FrameworkRemoved(ILogger logger, string frameworkId, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "recover skipped: {Message}")]
    public static partial void RecoverSkipped(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "the allocator could not ask {Failed} agent(s)/framework(s) to report now ({Message}); asking again in {Interval}")]
    public static partial void ReportAskFailed(ILogger logger, int failed, string message, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent {AgentId}: reservations or volumes {Missing} do not fit what the daemon reports; they are kept and left out until they fit")]
    public static partial void CheckpointedMissing(ILogger logger, string agentId, string missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent {AgentId}: conversions the allocator made do not apply to the agent's state ({Reason}); the allocator is told the agent's resources again")]
    public static partial void ConversionDiverged(ILogger logger, string agentId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Framework {FrameworkId}: {Operations} refused: {Reason}")]
    public static partial void ConversionsRefused(ILogger logger, string frameworkId, string operations, string reason);
}
