namespace OrleansDcos.Silo.Master;

/// <summary>What the silo's agent and framework endpoints log (source-generated: nothing is formatted for a level that is off).</summary>
internal static partial class LinkLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "framework {FrameworkId} stream {Stream} ended: {Message}")]
    public static partial void FrameworkStreamEnded(ILogger logger, string frameworkId, Guid stream, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "could not tell framework {FrameworkId} its stream ended")]
    public static partial void FrameworkNotTold(ILogger logger, Exception exception, string frameworkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent {AgentId}: registration through link {LinkId} failed while the cluster fails over: {Message}")]
    public static partial void RegistrationDuringFailover(ILogger logger, string agentId, Guid linkId, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent link {LinkId}: the command pump failed")]
    public static partial void PumpFailed(ILogger logger, Exception exception, Guid linkId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "agent link {LinkId} ended: {Message}")]
    public static partial void LinkEnded(ILogger logger, Guid linkId, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "could not tell the agent its link {LinkId} closed")]
    public static partial void AgentNotTold(ILogger logger, Exception exception, Guid linkId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Name} keep-alive: {Message}")]
    public static partial void KeepAliveFailed(ILogger logger, string name, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} from {Remote}: enrollment refused: {Reason}")]
    public static partial void EnrollmentRefused(ILogger logger, string agentId, string remote, string reason);
}
