using System.Collections.Concurrent;
using OrleansDcos.Runtime;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>Counts what happens inside grains, per test run (keys are unique per test).</summary>
public static class Probe
{
    public static ConcurrentDictionary<string, int> Activations { get; } = new();

    public static ConcurrentDictionary<string, int> Deactivations { get; } = new();

    public static ConcurrentDictionary<string, ConcurrentQueue<TickStatus>> Ticks { get; } = new();

    public static int Count(ConcurrentDictionary<string, int> counts, string key) => counts.GetValueOrDefault(key);
}

public sealed class CounterState
{
    public int Value { get; set; }

    public List<string> Log { get; set; } = [];
}

public sealed class GrainFailure(string message) : Exception(message);

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);

    Task<int> Get();

    Task<string?> Etag();

    Task Deactivate();

    Task Fail(string message);

    ValueTask<int> GetValue();

    Task Hang();
}

public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Probe.Activations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Probe.Deactivations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public async Task<int> Add(int amount)
    {
        state.State.Value += amount;
        state.State.Log.Add($"+{amount}");
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> Get() => Task.FromResult(state.State.Value);

    public Task<string?> Etag() => Task.FromResult(state.Etag);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task Fail(string message) => throw new GrainFailure(message);

    public ValueTask<int> GetValue() => ValueTask.FromResult(state.State.Value);

    public Task Hang() => Task.Delay(Timeout.Infinite);
}

/// <summary>Measures how many requests run at once, and whether any two turns ever overlap.</summary>
public interface IConcurrencyGrain : IGrainWithStringKey
{
    Task Work(int yields);

    [ReadOnly]
    Task Read(int yields);

    Task<(int MaxRequests, int MaxTurns)> Maxima();
}

public class ConcurrencyGrainBase : Grain
{
    private int _requests;
    private int _turns;
    private int _maxRequests;
    private int _maxTurns;

    public async Task Work(int yields)
    {
        _maxRequests = Math.Max(_maxRequests, ++_requests);
        for (var i = 0; i < yields; i++)
        {
            Turn();
            await Task.Yield();
            Turn();
            await Task.Delay(1);
        }

        _requests--;
    }

    public Task Read(int yields) => Work(yields);

    public Task<(int MaxRequests, int MaxTurns)> Maxima() => Task.FromResult((_maxRequests, _maxTurns));

    /// <summary>A synchronous stretch: if two turns ever ran in parallel, the count would exceed one.</summary>
    private void Turn()
    {
        var now = Interlocked.Increment(ref _turns);
        _maxTurns = Math.Max(_maxTurns, now);
        Thread.SpinWait(200);
        Interlocked.Decrement(ref _turns);
    }
}

public sealed class ConcurrencyGrain : ConcurrencyGrainBase, IConcurrencyGrain;

public interface IReentrantConcurrencyGrain : IConcurrencyGrain;

[Reentrant]
public sealed class ReentrantConcurrencyGrain : ConcurrencyGrainBase, IReentrantConcurrencyGrain;

/// <summary>A calls B, B calls A back.</summary>
public interface IPingGrain : IGrainWithStringKey
{
    Task<string> PingVia(string other);

    Task<string> Echo(string text);

    /// <summary>Calls back the caller, a plain or a reentrant ping grain.</summary>
    Task<string> CallBack(string caller, bool callerIsReentrant);

    /// <summary>Asks <paramref name="other"/> to note something back one-way while this call still runs; returns what was noted once it arrived.</summary>
    Task<IReadOnlyList<string>> NoteVia(string other);

    /// <summary>Calls <see cref="Note"/> on the caller one-way.</summary>
    Task NoteBack(string caller);

    /// <summary>Records a note.</summary>
    [OneWay]
    Task Note(string text);

    /// <summary>The notes.</summary>
    Task<IReadOnlyList<string>> Notes();

    /// <summary>The call chain the last note ran under.</summary>
    Task<string?> LastNoteChain();
}

public sealed class PingGrain : Grain, IPingGrain
{
    private readonly List<string> _notes = [];

    public async Task<IReadOnlyList<string>> NoteVia(string other)
    {
        await GrainFactory.GetGrain<IPingGrain>(other).NoteBack(GetPrimaryKeyString());
        return _notes.ToList();
    }

    public Task NoteBack(string caller) => GrainFactory.GetGrain<IPingGrain>(caller).Note($"from {GetPrimaryKeyString()}");

    public Task Note(string text)
    {
        _notes.Add(text);
        _lastNoteChain = RuntimeContext.CurrentChain?.ToString();
        return Task.CompletedTask;
    }

    private string? _lastNoteChain;

    public Task<string?> LastNoteChain() => Task.FromResult(_lastNoteChain);

    public Task<IReadOnlyList<string>> Notes() => Task.FromResult<IReadOnlyList<string>>(_notes.ToList());

    public Task<string> PingVia(string other) => GrainFactory.GetGrain<IPingGrain>(other).CallBack(GetPrimaryKeyString(), callerIsReentrant: false);

    public Task<string> Echo(string text) => Task.FromResult($"{GetPrimaryKeyString()}:{text}");

    public Task<string> CallBack(string caller, bool callerIsReentrant) => callerIsReentrant
        ? GrainFactory.GetGrain<IReentrantPingGrain>(caller).Echo("back")
        : GrainFactory.GetGrain<IPingGrain>(caller).Echo("back");
}

public interface IReentrantPingGrain : IGrainWithStringKey
{
    Task<string> PingVia(string other);

    Task<string> Echo(string text);
}

[Reentrant]
public sealed class ReentrantPingGrain : Grain, IReentrantPingGrain
{
    public Task<string> PingVia(string other) => GrainFactory.GetGrain<IPingGrain>(other).CallBack(GetPrimaryKeyString(), callerIsReentrant: true);

    public Task<string> Echo(string text) => Task.FromResult($"{GetPrimaryKeyString()}:{text}");
}

/// <summary>Timers and reminders.</summary>
public interface ITickerGrain : IGrainWithStringKey
{
    Task StartTimer(int periodMs);

    Task<int> TimerTicks();

    Task StartReminder(string name, int periodMs);

    Task StopReminder(string name);
}

public sealed class TickerGrain : Grain, ITickerGrain, IRemindable
{
    private int _timerTicks;

    public Task StartTimer(int periodMs)
    {
        RegisterGrainTimer(_ =>
        {
            _timerTicks++;
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(periodMs), TimeSpan.FromMilliseconds(periodMs));
        return Task.CompletedTask;
    }

    public Task<int> TimerTicks() => Task.FromResult(_timerTicks);

    public async Task StartReminder(string name, int periodMs) =>
        await RegisterOrUpdateReminder(name, TimeSpan.FromMilliseconds(periodMs), TimeSpan.FromMilliseconds(periodMs));

    public async Task StopReminder(string name)
    {
        if (await GetReminder(name) is { } reminder)
        {
            await UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Probe.Ticks.GetOrAdd($"{GetPrimaryKeyString()}/{reminderName}", _ => new()).Enqueue(status);
        return Task.CompletedTask;
    }
}

public sealed record OrderEvent(int Number, string Text);

public interface IOrderBookGrain : IGrainWithStringKey
{
    Task<int[]> Received();
}

/// <summary>Implicitly subscribed to the "orders" streams whose key is its key.</summary>
[ImplicitStreamSubscription("orders")]
public sealed class OrderBookGrain : Grain, IOrderBookGrain, IStreamConsumer<OrderEvent>
{
    public static ConcurrentDictionary<string, ConcurrentQueue<int>> Seen { get; } = new();

    private int _inFlight;

    public Task<int[]> Received() => Task.FromResult(Seen.GetValueOrDefault(GetPrimaryKeyString())?.ToArray() ?? []);

    public async Task OnNextAsync(StreamId stream, OrderEvent item, StreamSequenceToken token)
    {
        if (++_inFlight > 1)
        {
            throw new InvalidOperationException("two stream events ran at once in one activation");
        }

        await Task.Yield();
        Seen.GetOrAdd(GetPrimaryKeyString(), _ => new()).Enqueue(item.Number);
        _inFlight--;
    }
}

public interface IOrderWatcherGrain : IGrainWithStringKey
{
    Task Watch(string streamKey);

    Task<int[]> Received();

    Task<int> MaxConcurrent();
}

/// <summary>Subscribes explicitly from inside a grain: events must arrive as turns, never beside a request.</summary>
public sealed class OrderWatcherGrain : Grain, IOrderWatcherGrain
{
    private readonly List<int> _received = [];
    private int _running;
    private int _maxRunning;

    public async Task Watch(string streamKey) =>
        await GetStreamProvider(StreamTests.Provider).GetStream<OrderEvent>(new StreamId("watched", streamKey)).SubscribeAsync(async (item, _) =>
        {
            _maxRunning = Math.Max(_maxRunning, ++_running);
            await Task.Delay(1);
            _received.Add(item.Number);
            _running--;
        });

    public async Task<int[]> Received()
    {
        _maxRunning = Math.Max(_maxRunning, ++_running);
        await Task.Delay(1);
        _running--;
        return [.. _received];
    }

    public Task<int> MaxConcurrent() => Task.FromResult(_maxRunning);
}

public interface ISessionGrain : IGrainWithGuidKey
{
    Task<Guid> WhoAmI();
}

public sealed class SessionGrain : Grain, ISessionGrain
{
    public Task<Guid> WhoAmI() => Task.FromResult(GetPrimaryKey());
}

/// <summary>Says which silo it runs on; counts its activations; can hang to leave a call pending.</summary>
public interface IWhereGrain : IGrainWithStringKey
{
    Task<string> Where();

    Task<int> Activations();

    Task Hang();
}

public abstract class WhereGrainBase(OrleansDcos.Runtime.Membership.ClusterMembership membership) : Grain
{
    /// <summary>OnActivateAsync runs per class and key, across every silo of the (in-process) cluster.</summary>
    public static ConcurrentDictionary<string, int> Activated { get; } = new();

    private string CountKey => $"{GetType().Name}/{GetPrimaryKeyString()}";

    public Task<string> Where() => Task.FromResult(membership.Self!.Value.ToString());

    public Task<int> Activations() => Task.FromResult(Activated.GetValueOrDefault(CountKey));

    public Task Hang() => Task.Delay(Timeout.Infinite);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Activated.AddOrUpdate(CountKey, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

public sealed class WhereGrain(OrleansDcos.Runtime.Membership.ClusterMembership membership) : WhereGrainBase(membership), IWhereGrain;

public interface ILocalWhereGrain : IWhereGrain;

[PreferLocalPlacement]
public sealed class LocalWhereGrain(OrleansDcos.Runtime.Membership.ClusterMembership membership) : WhereGrainBase(membership), ILocalWhereGrain;

public interface IHashedWhereGrain : IWhereGrain;

[HashBasedPlacement]
public sealed class HashedWhereGrain(OrleansDcos.Runtime.Membership.ClusterMembership membership) : WhereGrainBase(membership), IHashedWhereGrain;

public interface ISlowGrain : IGrainWithStringKey
{
    [OneWay]
    Task Remember(string note);

    Task<string[]> Notes();

    Task Block(int milliseconds);
}

public sealed class SlowGrain : Grain, ISlowGrain
{
    /// <summary>Keys whose Block call is running now.</summary>
    public static ConcurrentDictionary<string, bool> Blocking { get; } = new();

    private readonly List<string> _notes = [];

    public async Task Remember(string note)
    {
        await Task.Delay(200);
        _notes.Add(note);
    }

    public Task<string[]> Notes() => Task.FromResult(_notes.ToArray());

    public async Task Block(int milliseconds)
    {
        Blocking[GetPrimaryKeyString()] = true;
        await Task.Delay(milliseconds);
        Blocking.TryRemove(GetPrimaryKeyString(), out _);
    }
}

/// <summary>A mailbox with a long poll, as the master's agent and framework grains have.</summary>
public interface IMailboxGrain : IGrainWithStringKey
{
    [AlwaysInterleave]
    Task<string?> WaitForMail(TimeSpan wait);

    Task Post(string mail);

    Task<(int MaxRequests, int MaxTurns)> Maxima();

    Task Work(int yields);
}

public sealed class MailboxGrain : ConcurrencyGrainBase, IMailboxGrain
{
    private readonly TaskCompletionSource<string> _mail = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<string?> WaitForMail(TimeSpan wait)
    {
        var arrived = await Task.WhenAny(_mail.Task, Task.Delay(wait));
        return arrived == _mail.Task ? await _mail.Task : null;
    }

    public Task Post(string mail)
    {
        _mail.TrySetResult(mail);
        return Task.CompletedTask;
    }
}

/// <summary>Registers a one-shot timer due at once while it is still activating.</summary>
public interface IEagerTimerGrain : IGrainWithStringKey
{
    Task<bool> Ticked();
}

public sealed class EagerTimerGrain : Grain, IEagerTimerGrain
{
    private bool _ticked;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        RegisterGrainTimer(_ =>
        {
            _ticked = true;
            return Task.CompletedTask;
        }, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        await Task.Delay(200, cancellationToken); // the tick fires before the activation is done
    }

    public Task<bool> Ticked() => Task.FromResult(_ticked);
}

/// <summary>Runs an endless interleaved timer loop (a pump) until the activation is asked to go.</summary>
public interface ILoopingTimerGrain : IGrainWithStringKey
{
    Task Start();

    Task Leave();
}

public sealed class LoopingTimerGrain : Grain, ILoopingTimerGrain
{
    /// <summary>Keys whose activation completed its deactivation.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Deactivated = new();

    public Task Start()
    {
        RegisterGrainTimer(async token =>
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), token);
            }
        }, TimeSpan.Zero, Timeout.InfiniteTimeSpan, interleave: true);
        return Task.CompletedTask;
    }

    public Task Leave()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Deactivated[GetPrimaryKeyString()] = true;
        return Task.CompletedTask;
    }
}
