using System.Collections.Concurrent;

namespace OrleansDcos.Grains.Concurrency;

/// <summary>
/// Delays for long polls. Thousands of waits that each time out after seconds (an agent link's command poll, a
/// framework's event poll) would each take a timer of their own and contend for the timer queue; here they share one
/// ticker. A delay ends at the first tick (every 50 ms) at or after its due time, and waits due in the same tick share
/// one task. Not cancellable: for waits that race a signal (<c>Task.WhenAny(signal, CoarseDelay.For(wait))</c>).
/// </summary>
public static class CoarseDelay
{
    private const long TickMs = 50;
    private static readonly ConcurrentDictionary<long, TaskCompletionSource> Due = new();
    private static readonly Timer Ticker = new(_ => Fire(), null, TickMs, TickMs);

    /// <summary>A task that completes <paramref name="delay"/> from now, up to one tick later.</summary>
    public static Task For(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        GC.KeepAlive(Ticker);
        var tick = (Environment.TickCount64 + (long)Math.Ceiling(delay.TotalMilliseconds) + TickMs - 1) / TickMs;
        return Due.GetOrAdd(tick, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    private static void Fire()
    {
        // A wait added for a tick already past (its caller was descheduled) is ended by the next tick.
        var now = Environment.TickCount64 / TickMs;
        foreach (var tick in Due.Keys)
        {
            if (tick <= now && Due.TryRemove(tick, out var due))
            {
                due.TrySetResult();
            }
        }
    }
}
