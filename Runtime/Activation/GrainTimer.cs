using Microsoft.Extensions.Logging;

namespace OrleansDcos.Runtime.Activation;

/// <summary>
/// A grain timer: each tick is queued as a turn of its activation; a tick is not queued again while the
/// previous one waits or runs, so slow callbacks never pile up. Dies with the activation.
/// </summary>
internal sealed partial class GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, bool interleave, ILogger logger) : IActivationWork, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private ITimer? _timer;
    private int _pending;

    public bool Interleave { get; } = interleave;

    public void Start(TimeProvider time, TimeSpan dueTime, TimeSpan period)
    {
        var repeat = period <= TimeSpan.Zero ? Timeout.InfiniteTimeSpan : period;
        _timer = time.CreateTimer(static state => ((GrainTimer)state!).Fire(), this, dueTime, repeat);
    }

    /// <summary>The activation refused the tick (it is going away).</summary>
    public void Skipped() => Volatile.Write(ref _pending, 0);

    public async Task RunAsync()
    {
        try
        {
            if (!_disposed.IsCancellationRequested)
            {
                await callback(_disposed.Token);
            }
        }
        catch (Exception ex) when (!_disposed.IsCancellationRequested || ex is not OperationCanceledException)
        {
            Log.TickFailed(logger, ex, activation.Id);
        }
        catch (OperationCanceledException)
        {
            // Disposed during the tick: nothing to report.
        }
        finally
        {
            Volatile.Write(ref _pending, 0);
        }
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer?.Dispose();
        activation.TimerDisposed(this);
    }

    private void Fire()
    {
        if (_disposed.IsCancellationRequested || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        activation.EnqueueWork(this);
    }

    private static partial class Log
    {
        [LoggerMessage(1003, LogLevel.Warning, "A timer tick of {GrainId} failed; the timer keeps running")]
        public static partial void TickFailed(ILogger logger, Exception exception, GrainId grainId);
    }
}
