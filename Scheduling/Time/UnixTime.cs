namespace OrleansDcos.Scheduling.Time;

/// <summary>Mesos' and Marathon's wire time: seconds since the epoch, with milliseconds.</summary>
public static class UnixTime
{
    /// <summary><paramref name="at"/> as seconds since 1970-01-01T00:00:00Z (three decimals).</summary>
    public static double Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;
}
