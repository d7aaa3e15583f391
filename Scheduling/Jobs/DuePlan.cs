using NodaTime;

namespace OrleansDcos.Scheduling.Jobs;

/// <summary>
/// What a job does about the due times since it last looked: each due time more than <c>epsilon</c> before now is
/// skipped (recorded, never run late); of those within epsilon the latest runs and any earlier ones are skipped (one run
/// per look, never a burst of catch-up runs); <see cref="Next"/> is when to look again.
/// </summary>
/// <param name="Skipped">The due times skipped, oldest first, at most the limit asked.</param>
/// <param name="SkippedCount">How many were skipped (counted up to <see cref="MaxCounted"/>; a job down for a day with a one-second period skips many).</param>
/// <param name="Run">The due time to run now, if one is within epsilon.</param>
/// <param name="Next">The next due time after now, if the schedule has one.</param>
/// <param name="LastHandled">The latest due time this plan runs or skips (where the next look starts), if any.</param>
public sealed record DuePlan(IReadOnlyList<Instant> Skipped, long SkippedCount, Instant? Run, Instant? Next, Instant? LastHandled)
{
    /// <summary>Skipped due times counted one by one at most; past this the count stops and the plan moves on.</summary>
    public const long MaxCounted = 100_000;

    /// <summary>The plan for the due times in (<paramref name="after"/>, <paramref name="now"/>].</summary>
    public static DuePlan Of(JobSchedule schedule, Instant after, Instant now, Duration epsilon, int maxListed = 100)
    {
        var skipped = new List<Instant>();
        var count = 0L;
        var late = now - epsilon;
        var cursor = after;
        while (schedule.NextAfter(cursor) is { } due && (due <= late || (schedule.NextAfter(due) is { } following && following <= now)))
        {
            count++;
            if (skipped.Count < maxListed)
            {
                skipped.Add(due);
            }

            cursor = due;
            if (count == MaxCounted && late > cursor)
            {
                // Far behind: the rest up to epsilon before now are skipped without being counted one by one.
                cursor = late;
            }
        }

        var run = schedule.NextAfter(cursor) is { } last && last <= now ? last : (Instant?)null;
        return new DuePlan(skipped, count, run, schedule.NextAfter(now), run ?? (count > 0 ? cursor : null));
    }
}
