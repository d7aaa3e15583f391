using Cronos;
using NodaTime;

namespace OrleansDcos.Scheduling.Jobs;

/// <summary>
/// A five-field cron expression (<c>minute hour day-of-month month day-of-week</c>, and Cronos' macros such as
/// <c>@daily</c>) on the wall clock of a zone. Cronos finds the next matching wall time; the zone turns it into an
/// instant as every schedule here does (<see cref="JobZones.Resolve"/>): a time a spring-forward gap skips runs once,
/// when the gap ends; a fall-back hour is run once, in its first pass.
/// </summary>
public sealed class CronSchedule : JobSchedule
{
    /// <summary>How many wall times are tried for one answer before giving up (a fall-back hour of a minutely job needs 60).</summary>
    private const int MaxSteps = 10_000;

    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, DateTimeZone zone)
    {
        _expression = expression;
        Zone = zone;
    }

    /// <inheritdoc />
    public override DateTimeZone Zone { get; }

    /// <inheritdoc />
    public override Instant? NextAfter(Instant after)
    {
        // Cronos steps wall-clock times: they are handed to it as if they were UTC, so its own zone rules play no part.
        var wall = after.InZone(Zone).LocalDateTime;
        for (var step = 0; step < MaxSteps; step++)
        {
            var next = _expression.GetNextOccurrence(DateTime.SpecifyKind(wall.ToDateTimeUnspecified(), DateTimeKind.Utc), TimeZoneInfo.Utc);
            if (next is not { } found)
            {
                return null;
            }

            wall = LocalDateTime.FromDateTime(found);
            var due = JobZones.Resolve(wall, Zone);
            if (due > after)
            {
                return due;
            }
        }

        return null;
    }

    /// <summary>Reads a five-field cron expression.</summary>
    /// <exception cref="JobScheduleException">It is not one.</exception>
    internal static CronSchedule Parse(string text, DateTimeZone zone)
    {
        try
        {
            return new CronSchedule(CronExpression.Parse(text, CronFormat.Standard), zone);
        }
        catch (CronFormatException ex)
        {
            throw new JobScheduleException($"'{text}' is neither R[n]/[start]/period nor a five-field cron expression (minute hour day-of-month month day-of-week): {ex.Message}");
        }
    }
}
