namespace OrleansDcos.Grains.Concurrency;

/// <summary>
/// What a grain has for one reader that fetches by cursor (a framework's event stream, an agent's link): items in
/// order with increasing sequence numbers; a fetch names the last one it took, which acknowledges it and all before.
/// A reader may long-poll (<see cref="WaitAsync"/>) or be told by a doorbell; either way it fetches with
/// <see cref="After"/>. Turn-confined like the grain that owns it (not thread-safe).
/// </summary>
/// <typeparam name="T">The item.</typeparam>
internal sealed class Outbox<T>(CoarseDelay delays)
{
    private readonly List<(long Seq, T Item)> _items = [];
    private TaskCompletionSource? _added; // made by the first long poll: a doorbell-driven reader never needs one
    private long _sequence;

    /// <summary>Items not yet acknowledged.</summary>
    public int Count => _items.Count;

    /// <summary>The items not yet acknowledged, oldest first.</summary>
    public IEnumerable<T> Items => _items.Select(i => i.Item);

    /// <summary>Queues <paramref name="item"/> and wakes a waiting reader.</summary>
    public void Add(T item)
    {
        _items.Add((++_sequence, item));
        _added?.TrySetResult();
    }

    /// <summary>Forgets what the reader took (up to <paramref name="cursor"/>), oldest first; <paramref name="onTaken"/> sees each.</summary>
    public void Acknowledge(long cursor, Action<T>? onTaken = null)
    {
        var taken = 0;
        while (taken < _items.Count && _items[taken].Seq <= cursor)
        {
            onTaken?.Invoke(_items[taken].Item);
            taken++;
        }

        _items.RemoveRange(0, taken);
    }

    /// <summary>The items after <paramref name="cursor"/>, and the cursor to name next time (unchanged when none).</summary>
    public (long Cursor, T[] Items) After(long cursor)
    {
        var first = _items.FindIndex(i => i.Seq > cursor);
        if (first < 0)
        {
            return (cursor, []);
        }

        var batch = new T[_items.Count - first];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = _items[first + i].Item;
        }

        return (_items[^1].Seq, batch);
    }

    /// <summary>
    /// Completes when an item is added or <paramref name="wait"/> passes (at once when something is queued), on the
    /// silo's coarse ticker. Call it between fetches; it never throws.
    /// </summary>
    public Task WaitAsync(TimeSpan wait)
    {
        if (_items.Count > 0 || wait <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        if (_added is null || _added.Task.IsCompleted)
        {
            _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return Task.WhenAny(_added.Task, delays.For(wait));
    }

    /// <summary>Drops everything (the reader is gone) and wakes a waiting reader so it learns so.</summary>
    public void Clear()
    {
        _items.Clear();
        _added?.TrySetResult();
    }
}
