namespace OrleansDcos.Runtime.Streams;

/// <summary>One stored event: its per-stream sequence, JSON payload and when it was appended.</summary>
public sealed record StoredEvent(long Sequence, string Json, DateTimeOffset AppendedAt);

/// <summary>
/// Where a stream provider keeps its log, subscriptions and checkpoints. Appends to one stream get
/// consecutive sequences in commit order, so reading "after N" never skips an event committed later.
/// </summary>
public interface IStreamStore
{
    /// <summary>Appends an event; returns its sequence once durable.</summary>
    Task<long> AppendAsync(string provider, StreamId stream, string json, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> events with a sequence above <paramref name="after"/>, in order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAsync(string provider, StreamId stream, long after, int max, CancellationToken cancellationToken = default);

    /// <summary>The last sequence of every stream of a namespace.</summary>
    Task<IReadOnlyList<(StreamId Stream, long Head)>> HeadsAsync(string provider, string streamNamespace, CancellationToken cancellationToken = default);

    /// <summary>The last sequence of a stream (0 when it has none).</summary>
    Task<long> HeadAsync(string provider, StreamId stream, CancellationToken cancellationToken = default);

    /// <summary>The lowest sequence still kept (head + 1 when nothing is kept).</summary>
    Task<long> OldestRetainedAsync(string provider, StreamId stream, CancellationToken cancellationToken = default);

    /// <summary>Records an explicit subscription.</summary>
    Task SaveSubscriptionAsync(string provider, Guid subscriptionId, StreamId stream, CancellationToken cancellationToken = default);

    /// <summary>Forgets an explicit subscription and its checkpoint.</summary>
    Task DeleteSubscriptionAsync(string provider, Guid subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>The explicit subscriptions of a stream.</summary>
    Task<IReadOnlyList<Guid>> ListSubscriptionsAsync(string provider, StreamId stream, CancellationToken cancellationToken = default);

    /// <summary>Saves how far a consumer got.</summary>
    Task SaveCheckpointAsync(string provider, string consumer, long sequence, CancellationToken cancellationToken = default);

    /// <summary>How far a consumer got, or null.</summary>
    Task<long?> LoadCheckpointAsync(string provider, string consumer, CancellationToken cancellationToken = default);

    /// <summary>Drops events appended before <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> TrimAsync(string provider, DateTimeOffset olderThan, CancellationToken cancellationToken = default);
}
