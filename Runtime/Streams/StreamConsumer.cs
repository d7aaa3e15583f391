using OrleansDcos.Runtime.Activation;

namespace OrleansDcos.Runtime.Streams;

/// <summary>
/// Something events of one stream are delivered to, in order, with a checkpoint: an explicit
/// subscription's handler, or an implicitly subscribed grain.
/// </summary>
internal abstract class StreamConsumer(StreamId stream, string checkpointKey, long checkpoint)
{
    public StreamId Stream { get; } = stream;

    /// <summary>Its name in the checkpoint table.</summary>
    public string CheckpointKey { get; } = checkpointKey;

    /// <summary>The last sequence delivered.</summary>
    public long Checkpoint { get; set; } = checkpoint;

    /// <summary>False once detached: delivery stops.</summary>
    public volatile bool Active = true;

    /// <summary>Delivers one event; throws when the consumer failed it.</summary>
    public abstract Task DeliverAsync(StoredEvent stored);
}

/// <summary>An explicit subscription's handler; run as a turn of its grain when a grain subscribed.</summary>
internal sealed class SubscriptionConsumer(StreamId stream, Guid subscriptionId, long checkpoint, Func<StoredEvent, Task> handler, ActivationData? owner)
    : StreamConsumer(stream, StreamConsumerKeys.Explicit(subscriptionId), checkpoint)
{
    public Guid SubscriptionId { get; } = subscriptionId;

    public override async Task DeliverAsync(StoredEvent stored)
    {
        if (owner is null)
        {
            await handler(stored);
            return;
        }

        var work = new CallbackWork(() => handler(stored));
        if (!owner.EnqueueWork(work))
        {
            // The subscribing activation is gone: stop until the subscription is resumed.
            Active = false;
        }

        await work.Completion.Task;
    }
}

/// <summary>A grain implicitly subscribed to its namespace: each event is a call to its <see cref="IStreamConsumer{T}.OnNextAsync"/>.</summary>
internal sealed class ImplicitConsumer(StreamId stream, ImplicitSubscription subscription, long checkpoint, Catalog catalog)
    : StreamConsumer(stream, StreamConsumerKeys.Implicit(subscription.GrainClass.GrainType, stream), checkpoint)
{
    public override Task DeliverAsync(StoredEvent stored)
    {
        var item = subscription.Deserialize(stored.Json);
        var request = subscription.Method.CreateRequest(subscription.Interface, Stream.Key, [Stream, item, new StreamSequenceToken(stored.Sequence)]);
        catalog.SendTo(subscription.GrainClass, request);
        return request.ResultTask;
    }
}

/// <summary>A grain class subscribed to a namespace, with the item type of its <see cref="IStreamConsumer{T}"/>.</summary>
internal sealed record ImplicitSubscription(string Namespace, GrainClassInfo GrainClass, Type Interface, Type ItemType, GrainMethod Method)
{
    public object? Deserialize(string json) => System.Text.Json.JsonSerializer.Deserialize(json, ItemType, GrainJson.Options);

    /// <summary>The implicit subscriptions declared by the registered grain classes.</summary>
    public static IReadOnlyList<ImplicitSubscription> Find(GrainClassRegistry registry)
    {
        var found = new List<ImplicitSubscription>();
        foreach (var grainClass in registry.Classes)
        {
            var namespaces = grainClass.ClassType.GetCustomAttributes(typeof(ImplicitStreamSubscriptionAttribute), inherit: true).Cast<ImplicitStreamSubscriptionAttribute>().ToArray();
            if (namespaces.Length == 0)
            {
                continue;
            }

            var consumers = grainClass.ClassType.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStreamConsumer<>)).ToArray();
            if (consumers.Length != 1)
            {
                throw new InvalidOperationException($"{grainClass.ClassType.Name} has [ImplicitStreamSubscription] and must implement exactly one IStreamConsumer<T> (it implements {consumers.Length})");
            }

            var method = GrainInterfaceInfo.Of(consumers[0]).Methods.Single();
            found.AddRange(namespaces.Select(n => new ImplicitSubscription(n.Namespace, grainClass, consumers[0], consumers[0].GetGenericArguments()[0], method)));
        }

        return found;
    }
}
