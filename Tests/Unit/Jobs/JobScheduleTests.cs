using NodaTime;
using NodaTime.Text;
using OrleansDcos.Scheduling.Jobs;
using Xunit;

namespace OrleansDcos.Tests.Unit.Jobs;

/// <summary>
/// Chronos' ISO 8601 repeating intervals and cron expressions in tz-database zones: the due times, the repetitions, and
/// the DST days of Europe/Berlin and America/New_York (a time the spring-forward gap skips runs once, when the gap ends;
/// a fall-back hour runs once), and the refusals that name what is wrong.
/// </summary>
[Trait("Area", "Jobs")]
public sealed class JobScheduleTests
{
    private static readonly Instant Now = At("2026-01-01T00:00:00Z");

    public static Instant At(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();

    public static List<Instant> Take(JobSchedule schedule, Instant after, int count)
    {
        var list = new List<Instant>();
        while (list.Count < count && schedule.NextAfter(after) is { } due)
        {
            list.Add(due);
            after = due;
        }

        return list;
    }

    [Fact]
    public void An_interval_runs_from_its_start_every_period()
    {
        var schedule = JobSchedule.Parse("R/2026-01-01T10:00:00Z/PT2H", null, Now);

        Assert.Equal(At("2026-01-01T10:00:00Z"), schedule.NextAfter(Now));
        Assert.Equal(At("2026-01-01T12:00:00Z"), schedule.NextAfter(At("2026-01-01T10:00:00Z")));
        Assert.Equal(At("2026-01-01T12:00:00Z"), schedule.NextAfter(At("2026-01-01T11:59:59Z")));
        Assert.Equal(At("2027-01-01T00:00:00Z"), schedule.NextAfter(At("2026-12-31T23:00:00Z")));
    }

    [Fact]
    public void Repetitions_bound_the_runs_and_R0_never_runs()
    {
        Assert.Equal(
            [At("2026-01-01T00:00:00Z"), At("2026-01-02T00:00:00Z"), At("2026-01-03T00:00:00Z")],
            Take(JobSchedule.Parse("R3/2026-01-01T00:00:00Z/P1D", null, Now), At("2025-12-31T00:00:00Z"), 10));
        Assert.Null(JobSchedule.Parse("R0/2026-01-01T00:00:00Z/P1D", null, Now).NextAfter(At("2025-01-01T00:00:00Z")));
    }

    [Fact]
    public void An_empty_start_is_now_and_an_offset_fixes_the_instant()
    {
        Assert.Equal(Now + Duration.FromSeconds(30), JobSchedule.Parse("R//PT30S", null, Now).NextAfter(Now));
        Assert.Equal(At("2026-01-01T09:00:00Z"), JobSchedule.Parse("R/2026-01-01T10:00:00+01:00/P1D", null, Now).NextAfter(Now));

        // A named zone overrides the written offset: 10:00 is Berlin's 10:00.
        Assert.Equal(At("2026-07-01T08:00:00Z"), JobSchedule.Parse("R/2026-07-01T10:00:00Z/P1D", "Europe/Berlin", Now).NextAfter(Now));
    }

    [Fact]
    public void Months_are_counted_from_the_start_and_do_not_drift_at_month_ends()
    {
        var schedule = JobSchedule.Parse("R/2026-01-31T12:00:00Z/P1M", null, Now);

        Assert.Equal(
            [At("2026-01-31T12:00:00Z"), At("2026-02-28T12:00:00Z"), At("2026-03-31T12:00:00Z"), At("2026-04-30T12:00:00Z")],
            Take(schedule, Now, 4));
    }

    [Fact]
    public void A_daily_run_in_Berlin_keeps_its_local_time_and_runs_once_on_both_DST_days()
    {
        // 2026-03-29 02:00 CET → 03:00 CEST: 02:30 does not exist; it runs once, at 03:00.
        var spring = JobSchedule.Parse("R/2026-03-27T02:30:00/P1D", "Europe/Berlin", Now);
        Assert.Equal(
            [At("2026-03-27T01:30:00Z"), At("2026-03-28T01:30:00Z"), At("2026-03-29T01:00:00Z"), At("2026-03-30T00:30:00Z")],
            Take(spring, Now, 4));

        // 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens twice; it runs once, in the first pass.
        var autumn = JobSchedule.Parse("R/2026-10-24T02:30:00/P1D", "Europe/Berlin", Now);
        Assert.Equal(
            [At("2026-10-24T00:30:00Z"), At("2026-10-25T00:30:00Z"), At("2026-10-26T01:30:00Z")],
            Take(autumn, Now, 3));
    }

    [Fact]
    public void An_hourly_interval_is_elapsed_time_across_DST_as_in_Chronos()
    {
        var schedule = JobSchedule.Parse("R/2026-10-25T00:00:00/PT1H", "Europe/Berlin", Now);

        var runs = Take(schedule, Now, 5);

        Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.Equal(Duration.FromHours(1), pair.Second - pair.First));
    }

    [Fact]
    public void A_cron_job_in_New_York_runs_once_on_both_DST_days()
    {
        // 2026-03-08 02:00 EST → 03:00 EDT: 02:30 runs once, at 03:00 EDT (07:00Z).
        var spring = JobSchedule.Parse("30 2 * * *", "America/New_York", Now);
        Assert.Equal(
            [At("2026-03-07T07:30:00Z"), At("2026-03-08T07:00:00Z"), At("2026-03-09T06:30:00Z")],
            Take(spring, At("2026-03-07T00:00:00Z"), 3));

        // 2026-11-01 02:00 EDT → 01:00 EST: 01:30 runs once, at 01:30 EDT (05:30Z).
        var autumn = JobSchedule.Parse("30 1 * * *", "America/New_York", Now);
        Assert.Equal(
            [At("2026-10-31T05:30:00Z"), At("2026-11-01T05:30:00Z"), At("2026-11-02T06:30:00Z")],
            Take(autumn, At("2026-10-31T00:00:00Z"), 3));
    }

    [Fact]
    public void A_quarter_hourly_cron_job_never_runs_twice_at_one_instant_or_one_wall_time_across_DST()
    {
        var zone = JobZones.Find("Europe/Berlin");
        foreach (var from in new[] { At("2026-03-28T22:00:00Z"), At("2026-10-24T22:00:00Z") })
        {
            var runs = Take(JobSchedule.Parse("*/15 * * * *", "Europe/Berlin", Now), from, 24);

            Assert.Equal(runs.Count, runs.Distinct().Count());
            Assert.Equal(runs.Order(), runs);
            Assert.Equal(runs.Count, runs.Select(r => r.InZone(zone).LocalDateTime).Distinct().Count());
        }
    }

    [Fact]
    public void A_cron_job_in_UTC_follows_its_expression()
    {
        var schedule = JobSchedule.Parse("0 9 * * MON-FRI", null, Now);

        // 2026-01-01 is a Thursday.
        Assert.Equal([At("2026-01-01T09:00:00Z"), At("2026-01-02T09:00:00Z"), At("2026-01-05T09:00:00Z")], Take(schedule, Now, 3));
        Assert.Equal(At("2026-01-02T00:00:00Z"), JobSchedule.Parse("@daily", null, Now).NextAfter(Now));
    }

    [Theory]
    [InlineData("R/2026-01-01T00:00:00Z", null, "is not R[n]/[start]/period")]
    [InlineData("Rx/2026-01-01T00:00:00Z/PT1H", null, "'Rx' is not R or Rn")]
    [InlineData("R/yesterday/PT1H", null, "'yesterday' is not an ISO 8601 date and time")]
    [InlineData("R/2026-01-01T00:00:00Z/1 hour", null, "'1 hour' is not an ISO 8601 period")]
    [InlineData("R/2026-01-01T00:00:00Z/PT0S", null, "must be longer than zero")]
    [InlineData("R/2026-01-01T00:00:00Z/PT-1H", null, "must be longer than zero")]
    [InlineData("R/2026-01-01T00:00:00Z/PT0.001S", null, "must be at least 1 second")]
    [InlineData("61 * * * *", null, "is neither R[n]/[start]/period nor a five-field cron expression")]
    [InlineData("* * * * * *", null, "five-field cron expression")]
    [InlineData("R//PT1H", "Mars/Olympus", "'Mars/Olympus' is not a time zone of the tz database")]
    public void Bad_schedules_are_refused_saying_what_is_wrong(string schedule, string? zone, string message)
    {
        var ex = Assert.Throws<JobScheduleException>(() => JobSchedule.Parse(schedule, zone, Now));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_every_second_job_started_years_ago_answers_at_once()
    {
        var schedule = JobSchedule.Parse("R/2000-01-01T00:00:00Z/PT1S", null, Now);

        Assert.Equal(Now + Duration.FromSeconds(1), schedule.NextAfter(Now));
        Assert.Equal(At("2000-01-01T00:00:00Z"), schedule.NextAfter(At("1999-01-01T00:00:00Z")));
    }
}
