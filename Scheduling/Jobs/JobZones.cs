using NodaTime;
using NodaTime.TimeZones;

namespace OrleansDcos.Scheduling.Jobs;

/// <summary>Time zones by their tz database name (<c>Europe/Berlin</c>), from the database NodaTime carries (no system tzdata needed).</summary>
public static class JobZones
{
    /// <summary>The zone named <paramref name="name"/>; UTC when none is named.</summary>
    /// <exception cref="JobScheduleException">No zone has that name.</exception>
    public static DateTimeZone Find(string? name) =>
        string.IsNullOrEmpty(name) ? DateTimeZone.Utc
        : DateTimeZoneProviders.Tzdb.GetZoneOrNull(name) ?? throw new JobScheduleException($"'{name}' is not a time zone of the tz database (e.g. Europe/Berlin, America/New_York, UTC)");

    /// <summary>
    /// A local time in <paramref name="zone"/> as one instant, the same way for every schedule: a time a spring-forward
    /// gap skips is the first instant after the gap (a 02:30 run on that day runs once, at 03:00); a time an autumn
    /// fall-back repeats is its earlier instant (it runs once, not twice).
    /// </summary>
    public static Instant Resolve(LocalDateTime local, DateTimeZone zone) => local.InZone(zone, Resolver).ToInstant();

    private static readonly ZoneLocalMappingResolver Resolver = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);
}
