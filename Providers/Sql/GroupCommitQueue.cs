namespace OrleansDcos.Providers.Sql;

/// <summary>
/// Group commit for one ordered log: callers enqueue items; a single writer takes whatever is waiting (up to
/// <c>maxBatch</c>) and writes it as one batch — one transaction — so a busy log commits thousands of items per
/// second while each caller's task completes only once its item is committed. Order of arrival is order in the
/// batch, and batches are written one after another. If a batch fails, every caller in it learns so and nothing of
/// it was committed.
/// </summary>
/// <typeparam name="TItem">What callers append.</typeparam>
/// <typeparam name="TResult">What each learns once committed (its position).</typeparam>
public sealed class GroupCommitQueue<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<TResult[]>> writeBatch, int maxBatch)
{
    private readonly Lock _lock = new();
    private readonly Queue<(TItem Item, TaskCompletionSource<TResult> Done)> _waiting = new();
    private bool _writing;

    /// <summary>Queues <paramref name="item"/>; completes with its result once its batch committed.</summary>
    public Task<TResult> EnqueueAsync(TItem item, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Enqueue((item, done));
            if (!_writing)
            {
                _writing = true;
                _ = Task.Run(WriteAsync, CancellationToken.None);
            }
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Done)> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    return;
                }

                // A queue: taking a batch off a backlog of a million appends must not move the rest.
                batch = new(Math.Min(_waiting.Count, maxBatch));
                while (batch.Count < maxBatch && _waiting.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
            }

            try
            {
                var results = await writeBatch(batch.ConvertAll(b => b.Item));
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(ex);
                }
            }
        }
    }
}
