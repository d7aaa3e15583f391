using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansDcos.Client.Frameworks;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>A framework on the SDK that keeps the offers and updates it receives for a benchmark to wait on.</summary>
internal sealed class BenchFramework : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private BenchFramework(SchedulerSubscription subscription)
    {
        Subscription = subscription;
        _reader = Task.Run(ReadAsync);
    }

    public SchedulerSubscription Subscription { get; }

    public ConcurrentDictionary<string, OfferInfo> Offers { get; } = new();

    /// <summary>Per task: each state and when it was seen.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<(TaskState State, string AgentId, long Ticks)>> Updates { get; } = new();

    public static async Task<BenchFramework> SubscribeAsync(Uri silo, string name)
    {
        var http = new HttpClient { BaseAddress = silo, Timeout = Timeout.InfiniteTimeSpan };
        return new BenchFramework(await new SchedulerClient(http).SubscribeAsync(new FrameworkInfo(null, name, FailoverTimeoutSeconds: 60)));
    }

    public Task<OfferInfo> OfferAsync(Func<OfferInfo, bool>? where = null) => PollValue.UntilAsync(
        () => Task.FromResult(Offers.Values.FirstOrDefault(o => where?.Invoke(o) ?? true) is { } offer && Offers.TryRemove(offer.OfferId, out _) ? offer : null),
        TimeSpan.FromSeconds(30), "an offer");

    public bool Reached(string taskId, TaskState state) => Updates.TryGetValue(taskId, out var seen) && seen.Any(s => s.State == state);

    public long TicksOf(string taskId, TaskState state) => Updates[taskId].First(s => s.State == state).Ticks;

    public async ValueTask DisposeAsync()
    {
        await Subscription.TeardownAsync();
        await _stop.CancelAsync();
        await Subscription.DisposeAsync();
        await _reader.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ReadAsync()
    {
        await foreach (var e in Subscription.Events(_stop.Token))
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var offer in e.Offers ?? [])
            {
                Offers[offer.OfferId] = offer;
            }

            if (e.OfferId is { } rescinded)
            {
                Offers.TryRemove(rescinded, out _);
            }

            if (e.Status is { } status)
            {
                Updates.GetOrAdd(status.Status.TaskId, _ => new()).Enqueue((status.Status.State, status.AgentId, now));
                try
                {
                    await Subscription.AcknowledgeAsync(status);
                }
                catch (Exception ex) when (ex is OrleansDcos.Client.DcosApiException or HttpRequestException)
                {
                    Console.Error.WriteLine($"  acknowledging {status.Status.TaskId} {status.Status.State} failed: {ex.Message}");
                }
            }
        }
    }
}
