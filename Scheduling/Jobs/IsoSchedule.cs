using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace OrleansDcos.Scheduling.Jobs;

/// <summary>
/// Chronos' ISO 8601 repeating interval <c>R[n]/[start]/period</c>: <c>n</c> runs (none written: forever; <c>R0</c>:
/// never) from <c>start</c> (empty: when it was read), one every <c>period</c> (<c>P1Y2M3W4DT5H6M7.5S</c>). As Joda does
/// for Chronos, the period's date part (years, months, weeks, days) is added to the start's local time in the zone — a
/// daily 02:30 stays 02:30 across DST — and its time part (hours, minutes, seconds) as elapsed time. Occurrence
/// <c>k</c> is computed from the start, never from the previous one, so month ends do not drift.
/// </summary>
public sealed class IsoSchedule : JobSchedule
{
    /// <summary>The shortest period: a job due every millisecond would only record skips.</summary>
    public const int MinPeriodSeconds = 1;

    private readonly LocalDateTime _start;
    private readonly Period _dateStep;
    private readonly Duration _timeStep;
    private readonly double _approximateSeconds;

    private IsoSchedule(long? repetitions, LocalDateTime start, Period period, DateTimeZone zone)
    {
        Repetitions = repetitions;
        _start = start;
        Period = period;
        Zone = zone;
        _dateStep = new PeriodBuilder { Years = period.Years, Months = period.Months, Weeks = period.Weeks, Days = period.Days }.Build();
        _timeStep = Duration.FromHours(period.Hours) + Duration.FromMinutes(period.Minutes) + Duration.FromSeconds(period.Seconds)
            + Duration.FromMilliseconds(period.Milliseconds) + Duration.FromTicks(period.Ticks) + Duration.FromNanoseconds(period.Nanoseconds);
        _approximateSeconds = ((period.Years * 365.2425) + (period.Months * 30.436875) + (period.Weeks * 7) + period.Days) * 86400 + _timeStep.TotalSeconds;
    }

    /// <summary>How many runs in all; null for forever.</summary>
    public long? Repetitions { get; }

    /// <summary>The first due time.</summary>
    public Instant Start => JobZones.Resolve(_start, Zone);

    /// <summary>The time between runs.</summary>
    public Period Period { get; }

    /// <inheritdoc />
    public override DateTimeZone Zone { get; }

    /// <inheritdoc />
    public override Instant? NextAfter(Instant after)
    {
        if (Repetitions == 0)
        {
            return null;
        }

        // Jump near the answer (an every-second job started years ago), then step: calendar months and DST move an
        // occurrence by less than the three periods of margin.
        var elapsed = (after - Start).TotalSeconds;
        var k = elapsed <= 0 ? 0L : (long)Math.Max(0, Math.Floor(elapsed / _approximateSeconds) - 3);
        while (k > 0 && At(k - 1) is { } earlier && earlier > after)
        {
            k--;
        }

        while (true)
        {
            if (Repetitions is { } n && k >= n)
            {
                return null;
            }

            if (At(k) is not { } due)
            {
                return null;
            }

            if (due > after)
            {
                return due;
            }

            k++;
        }
    }

    /// <summary>Occurrence <paramref name="k"/>; null past what a calendar holds.</summary>
    private Instant? At(long k)
    {
        try
        {
            checked
            {
                var dateStep = new PeriodBuilder
                {
                    Years = (int)(_dateStep.Years * k),
                    Months = (int)(_dateStep.Months * k),
                    Weeks = (int)(_dateStep.Weeks * k),
                    Days = (int)(_dateStep.Days * k),
                }.Build();
                return JobZones.Resolve(_start.Plus(dateStep), Zone) + (_timeStep * k);
            }
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Reads <c>R[n]/[start]/period</c>.</summary>
    /// <exception cref="JobScheduleException">A part cannot be read.</exception>
    internal static IsoSchedule Parse(string text, DateTimeZone zone, bool zoneNamed, Instant now)
    {
        var parts = text.Split('/');
        if (parts.Length != 3)
        {
            throw new JobScheduleException($"'{text}' is not R[n]/[start]/period (e.g. R/2026-01-01T00:00:00Z/PT1H, R5//P1D) nor a cron expression");
        }

        long? repetitions = parts[0].Length == 1 ? null
            : long.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new JobScheduleException($"'{parts[0]}' is not R or Rn with n a whole number of runs");
        var start = parts[1].Length == 0 ? now.InZone(zone).LocalDateTime : ParseStart(parts[1], zone, zoneNamed);
        var period = PeriodPattern.NormalizingIso.Parse(parts[2]) is { Success: true } parsed ? parsed.Value
            : throw new JobScheduleException($"'{parts[2]}' is not an ISO 8601 period (e.g. PT30S, PT2H, P1D, P1W, P1M, P1DT12H)");
        if (period.HasTimeComponent is false && period.HasDateComponent is false || IsNegativeOrZero(period))
        {
            throw new JobScheduleException($"the period '{parts[2]}' must be longer than zero");
        }

        var schedule = new IsoSchedule(repetitions, start, period, zone);
        return schedule._approximateSeconds >= MinPeriodSeconds ? schedule
            : throw new JobScheduleException($"the period '{parts[2]}' must be at least {MinPeriodSeconds} second (a shorter one would skip more runs than it ran)");
    }

    private static bool IsNegativeOrZero(Period period) =>
        period.Years < 0 || period.Months < 0 || period.Weeks < 0 || period.Days < 0 || period.Hours < 0 || period.Minutes < 0
        || period.Seconds < 0 || period.Milliseconds < 0 || period.Ticks < 0 || period.Nanoseconds < 0
        || period.Normalize().Equals(Period.Zero);

    /// <summary>
    /// The start as a local time in <paramref name="zone"/>: with a named zone the written offset is overridden (the
    /// local time is the zone's, as Chronos' <c>scheduleTimeZone</c> does); without one, the written offset (UTC if none)
    /// fixes the instant.
    /// </summary>
    private static LocalDateTime ParseStart(string text, DateTimeZone zone, bool zoneNamed)
    {
        if (OffsetDateTimePattern.ExtendedIso.Parse(text) is { Success: true } withOffset)
        {
            return zoneNamed ? withOffset.Value.LocalDateTime : withOffset.Value.ToInstant().InZone(zone).LocalDateTime;
        }

        var utc = text.EndsWith('Z') ? text[..^1] : text;
        return LocalDateTimePattern.ExtendedIso.Parse(utc) is { Success: true } local ? local.Value
            : throw new JobScheduleException($"'{text}' is not an ISO 8601 date and time (e.g. 2026-03-29T02:30:00Z or 2026-03-29T02:30:00+01:00)");
    }
}
