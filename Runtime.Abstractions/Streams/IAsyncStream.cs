namespace OrleansDcos.Runtime;

/// <summary>Gives streams by id. Durable providers keep events in PostgreSQL or SQLite; the memory one does not survive the process.</summary>
public interface IStreamProvider
{
    /// <summary>The provider's name.</summary>
    string Name { get; }

    /// <summary>The stream <paramref name="id"/> carrying <typeparamref name="T"/> items (JSON in storage).</summary>
    IAsyncStream<T> GetStream<T>(StreamId id);
}

/// <summary>
/// A stream of <typeparamref name="T"/>: events are ordered per stream, delivered at least once
/// (duplicates possible after a failure, never gaps), and can be replayed from any retained position.
/// </summary>
public interface IAsyncStream<T>
{
    /// <summary>The stream.</summary>
    StreamId Id { get; }

    /// <summary>Appends an event; returns its position once it is durable.</summary>
    Task<StreamSequenceToken> OnNextAsync(T item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes <paramref name="onNext"/> (explicit subscription, kept by the provider with its checkpoint).
    /// Delivery starts after <paramref name="after"/>, or with new events when null. Events are delivered
    /// one at a time, in order; the checkpoint advances after each one that <paramref name="onNext"/> completed.
    /// </summary>
    Task<StreamSubscriptionHandle<T>> SubscribeAsync(Func<T, StreamSequenceToken, Task> onNext, StreamSequenceToken? after = null);

    /// <summary>The position of the last event appended so far.</summary>
    Task<StreamSequenceToken> HeadAsync();

    /// <summary>The subscriptions of this stream (to resume them after a restart).</summary>
    Task<IReadOnlyList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandlesAsync();

    /// <summary>Reads the events after <paramref name="after"/> and then follows new ones until cancelled (no subscription, no checkpoint).</summary>
    IAsyncEnumerable<StreamEvent<T>> ReadAllAsync(StreamSequenceToken? after = null, CancellationToken cancellationToken = default);
}

/// <summary>A kept subscription: resume it with a handler after a restart, or remove it.</summary>
public abstract class StreamSubscriptionHandle<T>
{
    /// <summary>The subscription's id.</summary>
    public abstract Guid SubscriptionId { get; }

    /// <summary>The stream.</summary>
    public abstract StreamId Stream { get; }

    /// <summary>Delivers again to <paramref name="onNext"/>: from the saved checkpoint, or after <paramref name="after"/> (rewind or skip).</summary>
    public abstract Task<StreamSubscriptionHandle<T>> ResumeAsync(Func<T, StreamSequenceToken, Task> onNext, StreamSequenceToken? after = null);

    /// <summary>Stops delivery and forgets the subscription.</summary>
    public abstract Task UnsubscribeAsync();
}

/// <summary>Subscribes every grain of the class to the streams of namespace <see cref="Namespace"/> whose key is the grain's key.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ImplicitStreamSubscriptionAttribute(string streamNamespace) : Attribute
{
    /// <summary>The namespace.</summary>
    public string Namespace { get; } = streamNamespace;
}

/// <summary>Implemented by grains with an <see cref="ImplicitStreamSubscriptionAttribute"/>: receives the events of their streams, in order, at least once.</summary>
public interface IStreamConsumer<T> : IGrain
{
    /// <summary>One event of stream <paramref name="stream"/> (whose key is this grain's key).</summary>
    Task OnNextAsync(StreamId stream, T item, StreamSequenceToken token);
}

/// <summary>A position asked for is older than the stream still keeps.</summary>
public sealed class StreamPositionNotRetainedException(string message) : Exception(message);
