namespace OrleansDcos.Runtime.Streams;

/// <summary>The stream store in memory (embedded tests, the memory provider): same semantics, nothing survives the process.</summary>
public sealed class MemoryStreamStore : IStreamStore
{
    private readonly object _lock = new();
    private readonly Dictionary<(string, StreamId), (long Head, List<StoredEvent> Events)> _streams = [];
    private readonly Dictionary<(string, Guid), StreamId> _subscriptions = [];
    private readonly Dictionary<(string, string), long> _checkpoints = [];

    /// <inheritdoc />
    public Task<long> AppendAsync(string provider, StreamId stream, string json, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var (head, events) = _streams.GetValueOrDefault((provider, stream), (0, []));
            head++;
            events.Add(new StoredEvent(head, json, DateTimeOffset.UtcNow));
            _streams[(provider, stream)] = (head, events);
            return Task.FromResult(head);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadAsync(string provider, StreamId stream, long after, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<StoredEvent> events = _streams.TryGetValue((provider, stream), out var s)
                ? s.Events.Where(e => e.Sequence > after).Take(max).ToArray()
                : [];
            return Task.FromResult(events);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(StreamId Stream, long Head)>> HeadsAsync(string provider, string streamNamespace, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<(StreamId, long)> heads = _streams
                .Where(kv => kv.Key.Item1 == provider && kv.Key.Item2.Namespace == streamNamespace)
                .Select(kv => (kv.Key.Item2, kv.Value.Head)).ToArray();
            return Task.FromResult(heads);
        }
    }

    /// <inheritdoc />
    public Task<long> HeadAsync(string provider, StreamId stream, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_streams.TryGetValue((provider, stream), out var s) ? s.Head : 0);
        }
    }

    /// <inheritdoc />
    public Task<long> OldestRetainedAsync(string provider, StreamId stream, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_streams.TryGetValue((provider, stream), out var s)
                ? s.Events.Count > 0 ? s.Events[0].Sequence : s.Head + 1
                : 1);
        }
    }

    /// <inheritdoc />
    public Task SaveSubscriptionAsync(string provider, Guid subscriptionId, StreamId stream, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _subscriptions[(provider, subscriptionId)] = stream;
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task DeleteSubscriptionAsync(string provider, Guid subscriptionId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _subscriptions.Remove((provider, subscriptionId));
            _checkpoints.Remove((provider, StreamConsumerKeys.Explicit(subscriptionId)));
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Guid>> ListSubscriptionsAsync(string provider, StreamId stream, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<Guid> ids = _subscriptions.Where(kv => kv.Key.Item1 == provider && kv.Value == stream).Select(kv => kv.Key.Item2).ToArray();
            return Task.FromResult(ids);
        }
    }

    /// <inheritdoc />
    public Task SaveCheckpointAsync(string provider, string consumer, long sequence, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _checkpoints[(provider, consumer)] = sequence;
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task<long?> LoadCheckpointAsync(string provider, string consumer, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_checkpoints.TryGetValue((provider, consumer), out var sequence) ? sequence : (long?)null);
        }
    }

    /// <inheritdoc />
    public Task<int> TrimAsync(string provider, DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var removed = 0;
            foreach (var (key, value) in _streams.Where(kv => kv.Key.Item1 == provider))
            {
                removed += value.Events.RemoveAll(e => e.AppendedAt < olderThan);
            }

            return Task.FromResult(removed);
        }
    }
}

/// <summary>How consumers are named in the checkpoint table.</summary>
internal static class StreamConsumerKeys
{
    public static string Explicit(Guid subscriptionId) => $"sub:{subscriptionId:N}";

    public static string Implicit(string grainType, StreamId stream) => $"implicit:{grainType}:{stream}";
}
