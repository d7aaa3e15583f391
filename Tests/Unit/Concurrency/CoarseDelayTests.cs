using System.Diagnostics;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Unit.Concurrency;

[Trait("Area", "Runtime")]
public sealed class CoarseDelayTests : IDisposable
{
    private CoarseDelay Delays { get; } = new(TimeProvider.System);

    public void Dispose() => Delays.Dispose();

    [Fact]
    public async Task A_delay_never_ends_early_and_waits_due_together_share_one_task()
    {
        var clock = Stopwatch.StartNew();
        var delays = Enumerable.Range(0, 1000).Select(_ => Delays.For(TimeSpan.FromMilliseconds(300))).ToArray();

        await Task.WhenAll(delays);

        Assert.True(clock.ElapsedMilliseconds >= 300, $"ended after {clock.ElapsedMilliseconds} ms");
        Assert.True(delays.Distinct().Count() <= 3, $"{delays.Distinct().Count()} tasks for waits due within a few milliseconds");
    }

    [Fact]
    public async Task A_later_delay_ends_later_and_nothing_positive_is_complete_at_once()
    {
        var clock = Stopwatch.StartNew();
        var sooner = Delays.For(TimeSpan.FromMilliseconds(100));
        var later = Delays.For(TimeSpan.FromMilliseconds(600));

        Assert.False(sooner.IsCompleted && clock.ElapsedMilliseconds < 100);
        Assert.True(Delays.For(TimeSpan.Zero).IsCompleted);
        await sooner;

        // On a loaded machine this line may run long after 100 ms: "later" may be done by then, but never before its
        // 600 ms. (Completion is read before the clock, so a late read can only excuse it, never accuse it.)
        var laterDone = later.IsCompleted;
        var elapsed = clock.ElapsedMilliseconds;
        Assert.False(laterDone && elapsed < 600, $"the 600 ms delay was done after {elapsed} ms");
        await later.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(clock.ElapsedMilliseconds >= 600, $"the 600 ms delay ended after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Delays_follow_the_given_clock_not_the_wall()
    {
        var clock = new ManualTimeProvider();
        using var delays = new CoarseDelay(clock);
        var wait = delays.For(TimeSpan.FromMinutes(10));

        // Real ticks pass; the clock does not: nothing is due.
        await Task.Delay(200);
        Assert.False(wait.IsCompleted);

        clock.Advance(TimeSpan.FromMinutes(10));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
