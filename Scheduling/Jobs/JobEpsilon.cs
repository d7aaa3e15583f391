using NodaTime;
using NodaTime.Text;

namespace OrleansDcos.Scheduling.Jobs;

/// <summary>A job's <c>epsilon</c>: how late after its due time a run may still start, an ISO 8601 duration from PT0S to P7D.</summary>
public static class JobEpsilon
{
    /// <summary>The longest epsilon.</summary>
    public static readonly Duration Max = Duration.FromDays(7);

    /// <summary>The duration <paramref name="text"/> names, or null when it is not one within the bounds (months and years have no fixed length).</summary>
    public static Duration? Parse(string text)
    {
        if (PeriodPattern.NormalizingIso.Parse(text) is not { Success: true } parsed || parsed.Value.Months != 0 || parsed.Value.Years != 0)
        {
            return null;
        }

        var duration = parsed.Value.ToDuration();
        return duration < Duration.Zero || duration > Max ? null : duration;
    }
}
