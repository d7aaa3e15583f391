namespace OrleansDcos.Scheduling.Deployment;

/// <summary>
/// How many instances of an app may be killed for failed health checks within a sliding window (Marathon kills an
/// unhealthy instance within a rate limit, so a health check that breaks everywhere at once cannot take the whole
/// app down): at most a fraction of the app's instances, and always at least one.
/// </summary>
/// <param name="window">How far back kills count.</param>
public sealed class KillRateLimit(TimeSpan window)
{
    private readonly Queue<DateTimeOffset> _kills = new();

    /// <summary>The kills allowed per window for an app of <paramref name="instances"/> at <paramref name="fraction"/> of them (at least 1).</summary>
    public static int Allowed(int instances, double fraction) => Math.Max(1, (int)Math.Ceiling(Math.Max(0, instances) * fraction));

    /// <summary>Kills within the window before <paramref name="now"/>.</summary>
    public int Recent(DateTimeOffset now)
    {
        while (_kills.Count > 0 && _kills.Peek() < now - window)
        {
            _kills.Dequeue();
        }

        return _kills.Count;
    }

    /// <summary>Takes a kill at <paramref name="now"/> when fewer than <paramref name="allowed"/> were taken within the window.</summary>
    public bool TryTake(DateTimeOffset now, int allowed)
    {
        if (Recent(now) >= allowed)
        {
            return false;
        }

        _kills.Enqueue(now);
        return true;
    }
}
