using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using OrleansDcos.Scheduling.Jobs;
using Xunit;

namespace OrleansDcos.Tests.Unit.Jobs;

/// <summary>
/// Random schedules (periods from seconds to months, cron expressions, zones with and without DST, starts around DST
/// days): the due times only move forward, none is skipped or repeated whatever instant is asked from, and the jump
/// a long-running schedule takes lands where stepping one by one does.
/// </summary>
[Trait("Area", "Jobs")]
public sealed class JobScheduleProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly string[] Zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"];

    private static readonly string[] Periods = ["PT1S", "PT7S", "PT15M", "PT1H", "PT90M", "P1D", "P1DT12H", "P1W", "P1M", "P2M", "P1Y"];

    private static readonly string[] Crons = ["*/5 * * * *", "30 2 * * *", "0 1,2,3 * * *", "15 */2 * * 1-5", "0 0 1 * *", "45 23 * * 0"];

    private static readonly Gen<(JobSchedule Schedule, Instant From, int Probes)> Schedules =
        from zone in Gen.Elements(Zones)
        from useCron in Gen.Elements(true, false)
        from period in Gen.Elements(Periods)
        from cron in Gen.Elements(Crons)
        from day in Gen.Choose(0, 365)
        from minute in Gen.Choose(0, 24 * 60 - 1)
        from repetitions in Gen.Elements("R", "R1", "R5", "R40")
        from offsetMinutes in Gen.Choose(-600, 60 * 24 * 30)
        from probes in Gen.Choose(1, 30)
        let start = LocalDateTime.FromDateTime(new DateTime(2026, 1, 1).AddDays(day).AddMinutes(minute))
        let text = useCron ? cron : $"{repetitions}/{start:uuuu-MM-dd'T'HH:mm:ss}/{period}"
        let schedule = JobSchedule.Parse(text, zone, JobScheduleTests.At("2026-01-01T00:00:00Z"))
        select (schedule, JobZones.Resolve(start, schedule.Zone) + Duration.FromMinutes(offsetMinutes), probes);

    [Fact]
    public void Due_times_move_forward_and_none_is_skipped_or_repeated() => Check.One(Runs, Prop.ForAll(Schedules.ToArbitrary(), c =>
    {
        var from = c.From - Duration.FromDays(3);
        var runs = JobScheduleTests.Take(c.Schedule, from, 40);
        Assert.Equal(runs.Count, runs.Distinct().Count());
        Assert.All(runs.Zip(runs.Skip(1)), p => Assert.True(p.Second > p.First));

        // From any instant between two due times, the next is the later one.
        var random = new Random(c.Probes);
        foreach (var (earlier, later) in runs.Zip(runs.Skip(1)).Take(c.Probes))
        {
            var between = earlier + Duration.FromTicks((long)(random.NextDouble() * (later - earlier).TotalTicks));
            Assert.Equal(later, c.Schedule.NextAfter(between == later ? earlier : between));
        }
    }));

    [Fact]
    public void The_jump_lands_where_stepping_does() => Check.One(Runs, Prop.ForAll(Schedules.ToArbitrary(), c =>
    {
        if (c.Schedule is not IsoSchedule iso || iso.Repetitions is not null)
        {
            return;
        }

        // Step from the start to the probe instant, then ask from the probe directly.
        var probe = iso.Start + Duration.FromHours(c.Probes * 50);
        var stepped = iso.Start - Duration.FromTicks(1);
        var steps = 0;
        while (iso.NextAfter(stepped) is { } due && due <= probe)
        {
            stepped = due;
            if (++steps > 100_000)
            {
                return; // an every-second schedule this far: the explicit test of a job started years ago covers it
            }
        }

        Assert.Equal(iso.NextAfter(stepped), iso.NextAfter(probe));
    }));
}
