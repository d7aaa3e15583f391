namespace OrleansDcos.Runtime.Streams;

/// <summary>A stream's consumers here, its delivery gate (one delivery pass at a time keeps order), and a signal for followers.</summary>
internal sealed class StreamState(StreamId id)
{
    private readonly List<StreamConsumer> _consumers = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _dirty;

    public StreamId Id { get; } = id;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public bool ImplicitResolved { get; set; }

    public bool HasConsumers
    {
        get
        {
            lock (_consumers)
            {
                return _consumers.Count > 0;
            }
        }
    }

    /// <summary>Completes at the next append seen here.</summary>
    public Task Changed
    {
        get
        {
            lock (_consumers)
            {
                return _changed.Task;
            }
        }
    }

    public void MarkDirty() => Volatile.Write(ref _dirty, 1);

    public bool TakeDirty() => Interlocked.Exchange(ref _dirty, 0) == 1;

    public bool IsDirty => Volatile.Read(ref _dirty) == 1;

    public void Signal()
    {
        TaskCompletionSource changed;
        lock (_consumers)
        {
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public void Attach(StreamConsumer consumer)
    {
        lock (_consumers)
        {
            _consumers.RemoveAll(c => c.CheckpointKey == consumer.CheckpointKey);
            _consumers.Add(consumer);
        }
    }

    public void Detach(string checkpointKey)
    {
        lock (_consumers)
        {
            foreach (var consumer in _consumers.Where(c => c.CheckpointKey == checkpointKey))
            {
                consumer.Active = false;
            }

            _consumers.RemoveAll(c => c.CheckpointKey == checkpointKey);
        }
    }

    public StreamConsumer[] Snapshot()
    {
        lock (_consumers)
        {
            _consumers.RemoveAll(c => !c.Active);
            return [.. _consumers];
        }
    }
}
