using Orleans.Serialization;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// The latest events of one stream, read from the <see cref="EventLog"/> once for every follower in this process (the
/// SSE event bus may have hundreds): while it has followers, one loop reads what is appended after the stream's head
/// at its start, deserializes it once and keeps the last appends (as many as its capacity). A follower whose position
/// it covers takes events from here and waits for the next append; one further behind reads the log itself.
/// Followers share the deserialized events, so they must not change them.
/// </summary>
internal sealed class EventLogTail(EventLog log, Serializer<EventLogBatch> serializer, string provider, string streamNamespace, string streamKey, int capacity, int batchSize, TimeSpan pollInterval)
{
    /// <summary>The least time between two reads that found events.</summary>
    public static readonly TimeSpan ReadLinger = TimeSpan.FromMilliseconds(10);

    private readonly Lock _gate = new();
    private readonly (long Position, IReadOnlyList<object> Events)[] _ring = new (long, IReadOnlyList<object>)[capacity];
    private int _first;
    private int _count;
    private long _coversAfter = long.MaxValue; // nothing until the loop has read the head
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _followers;
    private CancellationTokenSource? _running;

    /// <summary>
    /// The position after which every event of the stream is here or was here (and so was in the log before any read
    /// that starts now); <see cref="long.MaxValue"/> while the tail has not started.
    /// </summary>
    public long CoversAfter
    {
        get
        {
            lock (_gate)
            {
                return _coversAfter;
            }
        }
    }

    /// <summary>A follower joins: the first one starts the loop.</summary>
    public void Join()
    {
        lock (_gate)
        {
            if (_followers++ == 0)
            {
                _running = new CancellationTokenSource();
                _ = RunAsync(_running.Token);
            }
        }
    }

    /// <summary>A follower leaves: the last one stops the loop and empties the tail.</summary>
    public void Leave()
    {
        lock (_gate)
        {
            if (--_followers == 0)
            {
                _running!.Cancel();
                _running = null;
                (_first, _count, _coversAfter) = (0, 0, long.MaxValue);
                Array.Clear(_ring);
                _appended.TrySetResult(); // wake anyone waiting; they find the tail gone and read the log
                _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>
    /// When the tail covers <paramref name="after"/>: adds up to <paramref name="max"/> appends after it to
    /// <paramref name="into"/> and gives the task that completes at the next append; otherwise false.
    /// </summary>
    public bool TryRead(long after, int max, List<(long Position, IReadOnlyList<object> Events)> into, out Task next)
    {
        lock (_gate)
        {
            next = _appended.Task;
            if (after < _coversAfter)
            {
                return false;
            }

            // Positions rise through the ring: find the first one after `after`.
            int low = 0, high = _count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (At(middle).Position <= after)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            for (var i = low; i < _count && into.Count < max; i++)
            {
                into.Add(At(i));
            }

            return true;
        }
    }

    private (long Position, IReadOnlyList<object> Events) At(int index) => _ring[(_first + index) % capacity];

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            long position;
            while (true)
            {
                try
                {
                    position = await log.StreamHeadAsync(provider, streamNamespace, streamKey, cancellationToken);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is away: until the tail starts, followers read the log themselves.
                    await Task.Delay(pollInterval, cancellationToken);
                }
            }

            lock (_gate)
            {
                cancellationToken.ThrowIfCancellationRequested(); // left meanwhile: a new loop may already own the tail
                _coversAfter = position;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                var changed = log.Changed(provider); // taken before reading, so an append during the read is not missed
                IReadOnlyList<LoggedEvent> events;
                try
                {
                    events = await log.ReadStreamAsync(provider, streamNamespace, streamKey, position, batchSize, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is away: followers keep waiting (those behind read it themselves and see the error).
                    await Task.Delay(pollInterval, cancellationToken);
                    continue;
                }

                if (events.Count > 0)
                {
                    Append(events, cancellationToken);
                    position = events[^1].Position;
                    if (events.Count < batchSize)
                    {
                        // Under a flood, let appends gather for a moment: one read and one wake-up of every follower
                        // per ReadLinger, not per commit (the first event after a quiet spell is read at once).
                        await Task.Delay(ReadLinger, cancellationToken);
                    }

                    continue;
                }

                try
                {
                    await changed.WaitAsync(pollInterval, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Poll: another silo's append does not signal here.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The last follower left.
        }
    }

    /// <summary>
    /// An append's events as every follower reads them, from the tail or from the log behind it; none when it cannot be
    /// read (the stream receivers skip it too, and say so).
    /// </summary>
    internal static IReadOnlyList<object> EventsOf(Serializer<EventLogBatch> serializer, byte[] payload)
    {
        try
        {
            return serializer.Deserialize(payload)?.Events ?? [];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return [];
        }
    }

    private void Append(IReadOnlyList<LoggedEvent> events, CancellationToken cancellationToken)
    {
        var read = events.Select(e => (e.Position, EventsOf(serializer, e.Payload))).ToList();
        TaskCompletionSource appended;
        lock (_gate)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return; // left while reading: a new loop may already own the tail
            }

            foreach (var entry in read)
            {
                if (_count == capacity)
                {
                    _coversAfter = _ring[_first].Position; // the oldest goes: a follower at or before it reads the log
                    _first = (_first + 1) % capacity;
                    _count--;
                }

                _ring[(_first + _count) % capacity] = entry;
                _count++;
            }

            appended = _appended;
            _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        appended.TrySetResult();
    }
}
