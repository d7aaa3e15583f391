namespace OrleansDcos.Scheduling.Jobs;

/// <summary>A schedule or time zone that cannot be read; the message says what is wrong and what is expected.</summary>
public sealed class JobScheduleException(string message) : Exception(message);
