using System.Collections.Concurrent;

namespace OrleansDcos.Grains.Concurrency;

/// <summary>
/// Delays for long polls. Thousands of waits that each time out after seconds (an agent link's command poll, a
/// framework's event poll) would each take a timer of their own and contend for the timer queue; here they share one
/// ticker. A delay ends at the first tick (every 50 ms) at or after its due time on the given clock, and waits due in
/// the same tick share one task. Not cancellable: for waits that race a signal (<c>Task.WhenAny(signal, delays.For(wait))</c>).
/// One per silo (a singleton service).
/// </summary>
public sealed class CoarseDelay : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _due = new();
    private readonly TimeProvider _time;
    private readonly ITimer _ticker;

    /// <summary>A ticker on <paramref name="time"/>.</summary>
    public CoarseDelay(TimeProvider time)
    {
        _time = time;
        _ticker = time.CreateTimer(_ => Fire(), null, Tick, Tick);
    }

    /// <summary>A task that completes <paramref name="delay"/> from now, up to one tick later.</summary>
    public Task For(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var tick = (long)Math.Ceiling((Elapsed() + delay) / Tick);
        return _due.GetOrAdd(tick, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    /// <inheritdoc />
    public void Dispose() => _ticker.Dispose();

    /// <summary>The clock's monotonic time (its timestamp as a span).</summary>
    private TimeSpan Elapsed() => TimeSpan.FromSeconds(_time.GetTimestamp() / (double)_time.TimestampFrequency);

    private void Fire()
    {
        // A wait added for a tick already past (its caller was descheduled) is ended by the next tick.
        var now = (long)Math.Floor(Elapsed() / Tick);
        foreach (var tick in _due.Keys)
        {
            if (tick <= now && _due.TryRemove(tick, out var due))
            {
                due.TrySetResult();
            }
        }
    }
}
