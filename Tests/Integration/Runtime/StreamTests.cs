using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Streams;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>Streams on one silo: memory, SQLite and PostgreSQL providers.</summary>
[Trait("Area", "Runtime")]
public sealed class StreamTests
{
    public const string Provider = "events";

    private static Task<RuntimeHost> StartAsync(StorageProvider storage) =>
        RuntimeHost.StartAsync(b =>
        {
            storage.Configure(b);
            b.AddStreams(Provider, new StreamProviderOptions { PollInterval = TimeSpan.FromMilliseconds(200) });
        });

    private static StreamId NewStream(string ns = "test") => new(ns, Guid.NewGuid().ToString("N"));

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    [Trait("Invariant", "R10")]
    public async Task A_subscriber_gets_every_event_in_order_without_gaps(string kind)
    {
        await using var storage = await StorageProvider.CreateAsync(kind);
        await using var silo = await StartAsync(storage);
        var stream = silo.Streams().GetStream<OrderEvent>(NewStream());
        var received = new ConcurrentQueue<(int Number, long Sequence)>();
        await stream.SubscribeAsync((e, token) =>
        {
            received.Enqueue((e.Number, token.Sequence));
            return Task.CompletedTask;
        });

        await Task.WhenAll(Enumerable.Range(1, 4).Select(async writer =>
        {
            for (var i = 0; i < 50; i++)
            {
                await stream.OnNextAsync(new OrderEvent(writer * 1000 + i, "x"));
            }
        }));

        await Poll.UntilAsync(() => Task.FromResult(received.Count >= 200), TimeSpan.FromSeconds(20), "200 events");
        var events = received.ToArray();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), events.Select(e => e.Sequence));
        foreach (var writer in Enumerable.Range(1, 4))
        {
            Assert.Equal(Enumerable.Range(writer * 1000, 50), events.Where(e => e.Number / 1000 == writer).Select(e => e.Number));
        }
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    [Trait("Invariant", "R10")]
    public async Task Reading_after_a_token_replays_exactly_the_rest(string kind)
    {
        await using var storage = await StorageProvider.CreateAsync(kind);
        await using var silo = await StartAsync(storage);
        var stream = silo.Streams().GetStream<OrderEvent>(NewStream());
        var tokens = new List<StreamSequenceToken>();
        for (var i = 1; i <= 30; i++)
        {
            tokens.Add(await stream.OnNextAsync(new OrderEvent(i, $"order {i}")));
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var replay = new List<StreamEvent<OrderEvent>>();
        await foreach (var e in stream.ReadAllAsync(tokens[19], cancel.Token))
        {
            replay.Add(e);
            if (replay.Count == 10)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(21, 10), replay.Select(e => e.Item.Number));
        Assert.Equal(tokens[20..], replay.Select(e => e.Token));
        Assert.Equal("order 21", replay[0].Item.Text);
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    public async Task A_follower_sees_events_appended_after_it_started(string kind)
    {
        await using var storage = await StorageProvider.CreateAsync(kind);
        await using var silo = await StartAsync(storage);
        var stream = silo.Streams().GetStream<OrderEvent>(NewStream());
        await stream.OnNextAsync(new OrderEvent(0, "before"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var follower = Task.Run(async () =>
        {
            var seen = new List<int>();
            await foreach (var e in stream.ReadAllAsync(cancellationToken: cancel.Token))
            {
                seen.Add(e.Item.Number);
                if (seen.Count == 3)
                {
                    break;
                }
            }

            return seen;
        });

        await Poll.UntilAsync(async () =>
        {
            await stream.OnNextAsync(new OrderEvent(1, "after"));
            return follower.IsCompleted;
        }, TimeSpan.FromSeconds(20), "the follower to see three new events", TimeSpan.FromMilliseconds(100));

        Assert.All(await follower, n => Assert.Equal(1, n));
    }

    [Theory]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    [Trait("Invariant", "R10")]
    public async Task A_subscription_resumes_after_a_restart_from_its_checkpoint(string kind)
    {
        await using var storage = await StorageProvider.CreateAsync(kind);
        var id = NewStream();
        var received = new ConcurrentQueue<int>();
        Task Record(OrderEvent e, StreamSequenceToken _)
        {
            received.Enqueue(e.Number);
            return Task.CompletedTask;
        }

        await using (var silo = await StartAsync(storage))
        {
            var stream = silo.Streams().GetStream<OrderEvent>(id);
            await stream.SubscribeAsync(Record);
            for (var i = 1; i <= 10; i++)
            {
                await stream.OnNextAsync(new OrderEvent(i, "first"));
            }

            await Poll.UntilAsync(() => Task.FromResult(received.Count >= 10), TimeSpan.FromSeconds(20), "the first ten events");
        }

        await using var restarted = await StartAsync(storage);
        var again = restarted.Streams().GetStream<OrderEvent>(id);
        for (var i = 11; i <= 20; i++)
        {
            await again.OnNextAsync(new OrderEvent(i, "while nobody listened"));
        }

        var handle = Assert.Single(await again.GetAllSubscriptionHandlesAsync());
        await handle.ResumeAsync(Record);

        await Poll.UntilAsync(() => Task.FromResult(received.Contains(20)), TimeSpan.FromSeconds(20), "the events appended while down");
        var distinct = received.Distinct().ToArray();
        Assert.Equal(Enumerable.Range(1, 20), distinct);

        await handle.UnsubscribeAsync();
        Assert.Empty(await again.GetAllSubscriptionHandlesAsync());
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    public async Task Implicitly_subscribed_grains_get_their_streams_one_event_at_a_time(string kind)
    {
        await using var storage = await StorageProvider.CreateAsync(kind);
        await using var silo = await StartAsync(storage);
        var key = Guid.NewGuid().ToString("N");
        var stream = silo.Streams().GetStream<OrderEvent>(new StreamId("orders", key));

        for (var i = 1; i <= 25; i++)
        {
            await stream.OnNextAsync(new OrderEvent(i, "order"));
        }

        var book = silo.Grains.GetGrain<IOrderBookGrain>(key);
        await Poll.UntilAsync(async () => (await book.Received()).Length >= 25, TimeSpan.FromSeconds(20), "25 implicit deliveries");
        Assert.Equal(Enumerable.Range(1, 25), await book.Received());
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("postgres")]
    public async Task A_grain_subscription_delivers_as_turns_of_the_grain(string kind)
    {
        await using var storage = await StorageProvider.CreateAsync(kind);
        await using var silo = await StartAsync(storage);
        var key = Guid.NewGuid().ToString("N");
        var watcher = silo.Grains.GetGrain<IOrderWatcherGrain>(key);
        await watcher.Watch(key);
        var stream = silo.Streams().GetStream<OrderEvent>(new StreamId("watched", key));

        var publishing = Task.Run(async () =>
        {
            for (var i = 1; i <= 40; i++)
            {
                await stream.OnNextAsync(new OrderEvent(i, "watched"));
            }
        });
        await Poll.UntilAsync(async () => (await watcher.Received()).Length >= 40, TimeSpan.FromSeconds(20), "40 deliveries to the grain");
        await publishing;

        Assert.Equal(Enumerable.Range(1, 40), await watcher.Received());
        Assert.Equal(1, await watcher.MaxConcurrent());
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    public async Task A_position_older_than_retention_is_refused_with_a_clear_error(string kind)
    {
        await using var storage = await StorageProvider.CreateAsync(kind);
        await using var silo = await StartAsync(storage);
        var stream = silo.Streams().GetStream<OrderEvent>(NewStream());
        for (var i = 1; i <= 5; i++)
        {
            await stream.OnNextAsync(new OrderEvent(i, "old"));
        }

        var provider = (PersistentStreamProvider)silo.Streams();
        await provider.Store.TrimAsync(Provider, DateTimeOffset.UtcNow.AddSeconds(1));
        await stream.OnNextAsync(new OrderEvent(6, "new"));

        var ex = await Assert.ThrowsAsync<StreamPositionNotRetainedException>(async () =>
        {
            await foreach (var unused in stream.ReadAllAsync(StreamSequenceToken.Beginning))
            {
                break;
            }
        });
        Assert.Contains("the oldest kept event is 6", ex.Message);
    }
}
