using Microsoft.Extensions.Logging;

namespace OrleansDcos.Grains.Jobs;

/// <summary>The jobs' log messages.</summary>
internal static partial class JobsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "job {Job}: run due {Due} ({Trigger}) queued as {TaskId}")]
    public static partial void RunQueued(ILogger logger, string job, DateTimeOffset due, string trigger, string taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Job}: due {Due} skipped: {Reason}")]
    public static partial void RunSkipped(ILogger logger, string job, DateTimeOffset due, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Job}: run {TaskId} {State}{Detail}")]
    public static partial void RunEnded(ILogger logger, string job, string taskId, string state, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Job}: run {TaskId} failed; attempt {Attempt} after {Delay}")]
    public static partial void RunRetried(ILogger logger, string job, string taskId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "job {Job}: run {TaskId} passed its maxCompletionTime of {Limit}; killing it")]
    public static partial void RunOverdue(ILogger logger, string job, string taskId, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "jobs: calling job {Job} failed: {Message}")]
    public static partial void JobCallFailed(ILogger logger, string job, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "chronos subscribed as framework {FrameworkId}")]
    public static partial void Subscribed(ILogger logger, string frameworkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "chronos: the event pump failed; subscribing again")]
    public static partial void PumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "chronos launched {Count} tasks")]
    public static partial void Launched(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "chronos: offers of agent {AgentId} not used: {Message}")]
    public static partial void OffersUnused(ILogger logger, string agentId, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "chronos: updates of job {Job} not recorded (the agent sends them again)")]
    public static partial void UpdatesNotRecorded(ILogger logger, Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "chronos: a round's launches could not be recorded; its runs stay queued")]
    public static partial void LaunchesNotRecorded(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "secrets could not be read for job runs: {Reason}")]
    public static partial void SecretsUnavailable(ILogger logger, string reason);
}
