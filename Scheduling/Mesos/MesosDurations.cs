namespace OrleansDcos.Mesos;

/// <summary>
/// Mesos' durations (seconds or nanoseconds as numbers on the wire) as <see cref="TimeSpan"/>s the master can use:
/// nothing negative, and nothing beyond a year (Mesos caps a refusal filter at 365 days; a longer grace is as good as
/// forever), so no request can overflow a clock.
/// </summary>
public static class MesosDurations
{
    /// <summary>The longest duration kept (365 days).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(365);

    /// <summary><paramref name="seconds"/> kept within [0, <see cref="Longest"/>]; null stays null.</summary>
    public static TimeSpan? FromSeconds(double? seconds) => seconds switch
    {
        null => null,
        { } s when double.IsNaN(s) || s <= 0 => TimeSpan.Zero,
        { } s when s >= Longest.TotalSeconds => Longest,
        { } s => TimeSpan.FromSeconds(s),
    };

    /// <summary><paramref name="nanoseconds"/> kept within [0, <see cref="Longest"/>]; null stays null.</summary>
    public static TimeSpan? FromNanoseconds(double? nanoseconds) => FromSeconds(nanoseconds / 1e9);
}
