using NodaTime;

namespace OrleansDcos.Scheduling.Jobs;

/// <summary>
/// When a job is due: a Chronos ISO 8601 repeating interval (<see cref="IsoSchedule"/>, <c>R[n]/[start]/period</c>) or,
/// beyond Chronos, a five-field cron expression (<see cref="CronSchedule"/>), each in a time zone from the tz database.
/// </summary>
public abstract class JobSchedule
{
    /// <summary>The longest schedule text read.</summary>
    public const int MaxLength = 256;

    /// <summary>The zone the schedule's local times are in.</summary>
    public abstract DateTimeZone Zone { get; }

    /// <summary>The first due time strictly after <paramref name="after"/>; null when the schedule has no more.</summary>
    public abstract Instant? NextAfter(Instant after);

    /// <summary>
    /// Reads <paramref name="schedule"/>: text starting with <c>R</c> is an ISO 8601 repeating interval, anything else a
    /// cron expression. <paramref name="timeZone"/> (Chronos' <c>scheduleTimeZone</c>) overrides an offset written in
    /// the interval's start; an empty start means <paramref name="now"/>.
    /// </summary>
    /// <exception cref="JobScheduleException">The schedule or the zone cannot be read.</exception>
    public static JobSchedule Parse(string schedule, string? timeZone, Instant now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Length > MaxLength)
        {
            throw new JobScheduleException($"a schedule is at most {MaxLength} characters (is {schedule.Length})");
        }

        var zone = JobZones.Find(timeZone);
        var text = schedule.Trim();
        return text.StartsWith('R') ? IsoSchedule.Parse(text, zone, timeZone is { Length: > 0 }, now) : CronSchedule.Parse(text, zone);
    }
}
