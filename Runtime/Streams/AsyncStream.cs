using System.Runtime.CompilerServices;
using System.Text.Json;
using OrleansDcos.Runtime.Activation;

namespace OrleansDcos.Runtime.Streams;

/// <summary>One stream of a <see cref="PersistentStreamProvider"/>, typed.</summary>
internal sealed class AsyncStream<T>(PersistentStreamProvider provider, StreamId id) : IAsyncStream<T>
{
    public StreamId Id { get; } = id;

    public Task<StreamSequenceToken> OnNextAsync(T item, CancellationToken cancellationToken = default) =>
        provider.AppendAsync(Id, JsonSerializer.Serialize(item, GrainJson.Options), cancellationToken);

    public async Task<StreamSubscriptionHandle<T>> SubscribeAsync(Func<T, StreamSequenceToken, Task> onNext, StreamSequenceToken? after = null)
    {
        var handle = new SubscriptionHandle<T>(provider, Id, Guid.NewGuid());
        await provider.Store.SaveSubscriptionAsync(provider.Name, handle.SubscriptionId, Id);
        return await handle.ResumeAsync(onNext, after ?? new StreamSequenceToken(await provider.Store.HeadAsync(provider.Name, Id)));
    }

    public async Task<StreamSequenceToken> HeadAsync() => new(await provider.Store.HeadAsync(provider.Name, Id));

    public async Task<IReadOnlyList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandlesAsync() =>
        (await provider.Store.ListSubscriptionsAsync(provider.Name, Id)).Select(id => (StreamSubscriptionHandle<T>)new SubscriptionHandle<T>(provider, Id, id)).ToArray();

    public async IAsyncEnumerable<StreamEvent<T>> ReadAllAsync(StreamSequenceToken? after = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var position = after is { } start
            ? await provider.CheckRetainedAsync(Id, start)
            : await provider.Store.HeadAsync(provider.Name, Id, cancellationToken);
        var state = provider.State(Id);
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = state.Changed; // taken before reading, so an append during the read is not missed
            var events = await provider.Store.ReadAsync(provider.Name, Id, position, provider.Options.BatchSize, cancellationToken);
            foreach (var stored in events)
            {
                yield return new StreamEvent<T>(Id, PersistentStreamProvider.Deserialize<T>(stored.Json), new StreamSequenceToken(stored.Sequence));
                position = stored.Sequence;
            }

            if (events.Count == 0)
            {
                try
                {
                    await changed.WaitAsync(provider.Options.PollInterval, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Poll: an append by another process does not signal here.
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
    }
}

/// <summary>A kept explicit subscription.</summary>
internal sealed class SubscriptionHandle<T>(PersistentStreamProvider provider, StreamId stream, Guid subscriptionId) : StreamSubscriptionHandle<T>
{
    public override Guid SubscriptionId { get; } = subscriptionId;

    public override StreamId Stream { get; } = stream;

    public override async Task<StreamSubscriptionHandle<T>> ResumeAsync(Func<T, StreamSequenceToken, Task> onNext, StreamSequenceToken? after = null)
    {
        var key = StreamConsumerKeys.Explicit(SubscriptionId);
        long checkpoint;
        if (after is { } position)
        {
            checkpoint = await provider.CheckRetainedAsync(Stream, position);
            await provider.Store.SaveCheckpointAsync(provider.Name, key, checkpoint);
        }
        else
        {
            checkpoint = await provider.Store.LoadCheckpointAsync(provider.Name, key) ?? await provider.Store.HeadAsync(provider.Name, Stream);
        }

        // A grain that subscribes gets its events as turns of its activation, never in parallel with its requests.
        provider.Attach(new SubscriptionConsumer(Stream, SubscriptionId, checkpoint,
            stored => onNext(PersistentStreamProvider.Deserialize<T>(stored.Json), new StreamSequenceToken(stored.Sequence)),
            ActivationData.Current));
        return this;
    }

    public override async Task UnsubscribeAsync()
    {
        provider.Detach(Stream, StreamConsumerKeys.Explicit(SubscriptionId));
        await provider.Store.DeleteSubscriptionAsync(provider.Name, SubscriptionId);
    }
}
