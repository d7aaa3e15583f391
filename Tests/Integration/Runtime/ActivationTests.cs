using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Storage;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>The programming model on one silo: activation, turns, reentrancy, deadlocks, errors, timeouts, idle collection, timers.</summary>
[Trait("Area", "Runtime")]
public sealed class ActivationTests : IAsyncLifetime
{
    private RuntimeHost _silo = null!;

    public async Task InitializeAsync() => _silo = await RuntimeHost.StartAsync(b => b.UseInMemory(), o =>
    {
        o.ResponseTimeout = TimeSpan.FromSeconds(2);
        o.MaintenanceInterval = TimeSpan.FromMilliseconds(100);
        o.CollectionAge = TimeSpan.FromSeconds(1);
    });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private static string NewKey() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task The_first_call_activates_the_grain_and_later_calls_reuse_it()
    {
        var key = NewKey();
        var counter = _silo.Grains.GetGrain<ICounterGrain>(key);

        Assert.Equal(2, await counter.Add(2));
        Assert.Equal(5, await counter.Add(3));
        Assert.Equal(5, await counter.GetValue());
        Assert.Equal(1, Probe.Count(Probe.Activations, key));
    }

    [Fact]
    [Trait("Invariant", "R1")]
    public async Task Many_concurrent_first_calls_make_exactly_one_activation()
    {
        var key = NewKey();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => _silo.Grains.GetGrain<ICounterGrain>(key).Add(1))));

        Assert.Equal(1, Probe.Count(Probe.Activations, key));
        Assert.Equal(Enumerable.Range(1, 200), results.Order());
    }

    [Fact]
    [Trait("Invariant", "R7")]
    public async Task A_non_reentrant_grain_runs_one_request_at_a_time()
    {
        var grain = _silo.Grains.GetGrain<IConcurrencyGrain>(NewKey());

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => grain.Work(5)));

        Assert.Equal((1, 1), await grain.Maxima());
    }

    [Fact]
    [Trait("Invariant", "R7")]
    public async Task A_waiting_always_interleave_request_does_not_block_ordinary_requests_which_still_run_one_at_a_time()
    {
        var grain = _silo.Grains.GetGrain<IMailboxGrain>(NewKey());
        var poll = grain.WaitForMail(TimeSpan.FromSeconds(20));

        // While the long poll waits, ordinary requests run (one at a time) and one of them answers it.
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => grain.Work(3)));
        await grain.Post("hello");

        Assert.Equal("hello", await poll.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((1, 1), await grain.Maxima());
    }

    [Fact]
    [Trait("Invariant", "R7")]
    public async Task A_reentrant_grain_interleaves_requests_but_never_runs_two_turns_in_parallel()
    {
        var grain = _silo.Grains.GetGrain<IReentrantConcurrencyGrain>(NewKey());

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => grain.Work(5)));

        var (maxRequests, maxTurns) = await grain.Maxima();
        Assert.True(maxRequests > 1, $"requests never interleaved (max {maxRequests})");
        Assert.Equal(1, maxTurns);
    }

    [Fact]
    public async Task Read_only_requests_interleave_with_each_other()
    {
        var readers = _silo.Grains.GetGrain<IConcurrencyGrain>(NewKey());

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => readers.Read(5)));

        var (maxRequests, maxTurns) = await readers.Maxima();
        Assert.True(maxRequests > 1, $"read-only requests never interleaved (max {maxRequests})");
        Assert.Equal(1, maxTurns);
    }

    [Fact]
    [Trait("Invariant", "R7")]
    public async Task A_call_cycle_through_a_busy_grain_fails_fast_with_a_deadlock_exception()
    {
        var a = _silo.Grains.GetGrain<IPingGrain>(NewKey());
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<DeadlockException>(() => a.PingVia(NewKey()));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}, not fail-fast");
        Assert.Contains("deadlock", ex.Message);
    }

    [Fact]
    public async Task A_one_way_call_back_into_a_busy_caller_is_queued_not_refused_as_a_deadlock()
    {
        var a = _silo.Grains.GetGrain<IPingGrain>(NewKey());
        var b = NewKey();

        var seenDuringTheCall = await a.NoteVia(b);

        Assert.Empty(seenDuringTheCall); // it ran after the call that caused it, not inside it
        await Poll.UntilAsync(async () => (await a.Notes()).Contains($"from {b}"), TimeSpan.FromSeconds(5), () => "the one-way note never arrived");

        // Nobody waited on the note: it ran under a chain of its own, so later calls from it cannot be refused as
        // deadlocks because of the call that happened to send it.
        var chain = await a.LastNoteChain();
        Assert.DoesNotContain(b, chain ?? string.Empty);
    }

    [Fact]
    public async Task A_reentrant_grain_may_be_called_back_within_its_own_call_chain()
    {
        var key = NewKey();

        var answer = await _silo.Grains.GetGrain<IReentrantPingGrain>(key).PingVia(NewKey());

        Assert.Equal($"{key}:back", answer);
    }

    [Fact]
    public async Task Exceptions_reach_the_caller_with_their_type_and_message()
    {
        var ex = await Assert.ThrowsAsync<GrainFailure>(() => _silo.Grains.GetGrain<ICounterGrain>(NewKey()).Fail("no luck"));

        Assert.Equal("no luck", ex.Message);
    }

    [Fact]
    public async Task A_call_that_does_not_answer_times_out_and_the_grain_stays_usable()
    {
        var grain = _silo.Grains.GetGrain<IConcurrencyGrain>(NewKey());
        var hanging = _silo.Grains.GetGrain<ICounterGrain>(NewKey());

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => hanging.Hang());

        Assert.Contains("did not answer within 2 s", ex.Message);
        await grain.Work(1);
    }

    [Fact]
    public async Task An_idle_activation_is_collected_and_the_next_call_makes_a_new_one()
    {
        var key = NewKey();
        var grain = _silo.Grains.GetGrain<ICounterGrain>(key);
        await grain.Add(1);

        await Poll.UntilAsync(() => Task.FromResult(Probe.Count(Probe.Deactivations, key) == 1), TimeSpan.FromSeconds(10), "idle collection");

        Assert.Equal(1, await grain.Get());
        Assert.Equal(2, Probe.Count(Probe.Activations, key));
    }

    [Fact]
    [Trait("Invariant", "R8")]
    public async Task Deactivate_on_idle_then_reactivate_keeps_the_last_written_state()
    {
        var key = NewKey();
        var grain = _silo.Grains.GetGrain<ICounterGrain>(key);
        await grain.Add(41);
        await grain.Deactivate();
        await Poll.UntilAsync(() => Task.FromResult(Probe.Count(Probe.Deactivations, key) == 1), TimeSpan.FromSeconds(5), "deactivation");

        Assert.Equal(42, await grain.Add(1));
        Assert.Equal(2, Probe.Count(Probe.Activations, key));
    }

    [Fact]
    [Trait("Invariant", "R6")]
    public async Task A_stale_write_is_refused_and_the_next_call_reloads_the_state()
    {
        var key = NewKey();
        var grain = _silo.Grains.GetGrain<ICounterGrain>(key);
        await grain.Add(1);
        var storage = _silo.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        var id = new GrainId("counter", key);
        var stored = (await storage.ReadAsync("counter", id))!;
        await storage.WriteAsync("counter", id, """{"value":100,"log":[]}""", stored.Etag);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Add(1));

        await Poll.UntilAsync(() => Task.FromResult(Probe.Count(Probe.Deactivations, key) == 1), TimeSpan.FromSeconds(5), "deactivation after the stale write");
        Assert.Equal(100, await grain.Get());
        Assert.Equal(101, await grain.Add(1));
    }

    [Fact]
    public async Task A_timer_that_fires_while_its_grain_still_activates_ticks_once_activation_is_done()
    {
        var grain = _silo.Grains.GetGrain<IEagerTimerGrain>(NewKey());

        await Poll.UntilAsync(() => grain.Ticked(), TimeSpan.FromSeconds(5), "the one-shot timer ticked");
    }

    [Fact]
    public async Task An_endless_interleaved_timer_loop_ends_when_deactivation_is_asked_for()
    {
        var key = NewKey();
        var grain = _silo.Grains.GetGrain<ILoopingTimerGrain>(key);
        await grain.Start();

        await grain.Leave();

        await Poll.UntilAsync(() => Task.FromResult(LoopingTimerGrain.Deactivated.ContainsKey(key)), TimeSpan.FromSeconds(5), "the activation went away");
    }

    [Fact]
    public async Task Timer_ticks_run_as_turns_of_the_activation()
    {
        var grain = _silo.Grains.GetGrain<ITickerGrain>(NewKey());

        await grain.StartTimer(periodMs: 50);

        await Poll.UntilAsync(async () => await grain.TimerTicks() >= 5, TimeSpan.FromSeconds(10), "5 timer ticks");
    }

    [Fact]
    public async Task A_one_way_call_returns_before_the_grain_has_run_it()
    {
        var grain = _silo.Grains.GetGrain<ISlowGrain>(NewKey());

        var call = grain.Remember("first"); // the grain takes 200 ms over it

        Assert.True(call.IsCompletedSuccessfully, "a one-way call must not wait for the grain");
        Assert.Equal(["first"], await grain.Notes()); // queued behind it, so it ran by now
    }

    [Fact]
    public async Task A_full_inbox_refuses_new_calls_with_an_overload_error()
    {
        await using var silo = await RuntimeHost.StartAsync(b => b.UseInMemory(), o => o.MaxEnqueuedRequests = 3);
        var key = NewKey();
        var grain = silo.Grains.GetGrain<ISlowGrain>(key);
        var blocker = grain.Block(1000);
        await Poll.UntilAsync(() => Task.FromResult(SlowGrain.Blocking.ContainsKey(key)), TimeSpan.FromSeconds(10), "the blocking call to run");

        var calls = Enumerable.Range(0, 6).Select(_ => grain.Block(1)).ToArray();
        var outcomes = await Task.WhenAll(calls.Select(async c =>
        {
            try
            {
                await c;
                return "ok";
            }
            catch (GrainOverloadedException)
            {
                return "overloaded";
            }
        }));
        await blocker;

        Assert.Equal(3, outcomes.Count(o => o == "ok"));
        Assert.Equal(3, outcomes.Count(o => o == "overloaded"));
    }

    [Fact]
    public async Task Guid_keyed_grains_know_their_key()
    {
        var key = Guid.NewGuid();

        Assert.Equal(key, await _silo.Grains.GetGrain<ISessionGrain>(key).WhoAmI());
    }

    [Fact]
    public async Task A_grain_interface_without_a_class_is_a_clear_error()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _silo.Grains.GetGrain<IOrphanGrain>("x").Nothing());

        Assert.Contains("no grain class implements", ex.Message);
    }
}

public interface IOrphanGrain : IGrainWithStringKey
{
    Task Nothing();
}
