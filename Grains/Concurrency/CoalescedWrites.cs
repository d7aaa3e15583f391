namespace OrleansDcos.Grains.Concurrency;

/// <summary>
/// Group commit for one piece of state that many callers change: each caller changes the state in memory, then awaits
/// <see cref="PersistAsync"/>, which returns once a write that began after its change has succeeded. While one write
/// runs, every change made meanwhile waits for the next single write instead of queueing a write of its own — a
/// registry that 600 agents join at once writes a few times, not 600 times in a row.
/// </summary>
/// <param name="write">Writes the whole state as it is when called (e.g. <c>state.WriteStateAsync</c>).</param>
public sealed class CoalescedWrites(Func<Task> write)
{
    private readonly Lock _lock = new();
    private long _changes;
    private long _persisted;
    private Task? _writing;

    /// <summary>
    /// Completes when the state, as it is now, is written. Throws what the write that was to carry this change threw;
    /// callers whose change only waited behind a failed write try a write of their own.
    /// </summary>
    public Task PersistAsync()
    {
        long version;
        lock (_lock)
        {
            version = ++_changes;
        }

        return WrittenAsync(version);
    }

    /// <summary>
    /// Completes when every change announced so far (<see cref="PersistAsync"/>) is written, without announcing one: for a
    /// caller that finds its change already made by another whose write may still be running.
    /// </summary>
    public Task SettledAsync()
    {
        long version;
        lock (_lock)
        {
            version = _changes;
        }

        return WrittenAsync(version);
    }

    private async Task WrittenAsync(long version)
    {
        while (true)
        {
            Task? other;
            TaskCompletionSource? mine = null;
            long upTo = 0;
            lock (_lock)
            {
                if (_persisted >= version)
                {
                    return;
                }

                other = _writing;
                if (other is null)
                {
                    mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _writing = mine.Task;
                    upTo = _changes;
                }
            }

            if (mine is null)
            {
                // Started before this change, or by another caller after it: wait for it, then see whether it covered this change.
                await other!;
                continue;
            }

            try
            {
                await write();
                lock (_lock)
                {
                    _persisted = Math.Max(_persisted, upTo);
                }
            }
            finally
            {
                lock (_lock)
                {
                    _writing = null;
                }

                mine.SetResult();
            }
        }
    }
}
