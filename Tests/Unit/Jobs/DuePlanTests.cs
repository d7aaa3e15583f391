using NodaTime;
using OrleansDcos.Scheduling.Jobs;
using Xunit;
using static OrleansDcos.Tests.Unit.Jobs.JobScheduleTests;

namespace OrleansDcos.Tests.Unit.Jobs;

/// <summary>Epsilon: a due time later than epsilon before now is skipped and recorded, never run late; one run per look.</summary>
[Trait("Area", "Jobs")]
public sealed class DuePlanTests
{
    private static readonly JobSchedule Every10s = JobSchedule.Parse("R/2026-01-01T00:00:00Z/PT10S", null, At("2026-01-01T00:00:00Z"));

    [Fact]
    public void A_due_time_within_epsilon_runs()
    {
        var plan = DuePlan.Of(Every10s, At("2026-01-01T00:00:05Z"), At("2026-01-01T00:00:12Z"), Duration.FromSeconds(60));

        Assert.Equal(At("2026-01-01T00:00:10Z"), plan.Run);
        Assert.Empty(plan.Skipped);
        Assert.Equal(At("2026-01-01T00:00:20Z"), plan.Next);
    }

    [Fact]
    public void A_due_time_past_epsilon_is_skipped_not_run_late()
    {
        var plan = DuePlan.Of(Every10s, At("2026-01-01T00:00:05Z"), At("2026-01-01T00:00:19Z"), Duration.FromSeconds(5));

        Assert.Null(plan.Run);
        Assert.Equal([At("2026-01-01T00:00:10Z")], plan.Skipped);
        Assert.Equal(1, plan.SkippedCount);
    }

    [Fact]
    public void After_an_hour_down_every_missed_time_is_skipped_and_only_the_latest_within_epsilon_runs()
    {
        var plan = DuePlan.Of(Every10s, At("2026-01-01T00:00:00Z"), At("2026-01-01T01:00:03Z"), Duration.FromSeconds(30), maxListed: 10);

        Assert.Equal(At("2026-01-01T01:00:00Z"), plan.Run);
        Assert.Equal(359, plan.SkippedCount); // 00:00:10 … 00:59:50
        Assert.Equal(10, plan.Skipped.Count);
        Assert.Equal(At("2026-01-01T00:00:10Z"), plan.Skipped[0]);
        Assert.Equal(At("2026-01-01T01:00:10Z"), plan.Next);
    }

    [Fact]
    public void Nothing_due_plans_nothing_but_the_next_time()
    {
        var plan = DuePlan.Of(Every10s, At("2026-01-01T00:00:10Z"), At("2026-01-01T00:00:15Z"), Duration.FromSeconds(60));

        Assert.Null(plan.Run);
        Assert.Equal(0, plan.SkippedCount);
        Assert.Equal(At("2026-01-01T00:00:20Z"), plan.Next);
    }

    [Fact]
    public void A_year_down_with_a_one_second_period_is_planned_without_counting_every_second()
    {
        var schedule = JobSchedule.Parse("R/2025-01-01T00:00:00Z/PT1S", null, At("2025-01-01T00:00:00Z"));

        var plan = DuePlan.Of(schedule, At("2025-01-01T00:00:00Z"), At("2026-01-01T00:00:00.5Z"), Duration.FromSeconds(60));

        Assert.Equal(At("2026-01-01T00:00:00Z"), plan.Run);
        Assert.True(plan.SkippedCount >= DuePlan.MaxCounted);
        Assert.Equal(At("2026-01-01T00:00:01Z"), plan.Next);
    }
}
