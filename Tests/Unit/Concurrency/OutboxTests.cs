using OrleansDcos.Grains.Concurrency;
using Xunit;

namespace OrleansDcos.Tests.Unit.Concurrency;

[Trait("Area", "Master")]
public sealed class OutboxTests : IDisposable
{
    private CoarseDelay Delays { get; } = new(TimeProvider.System);

    public void Dispose() => Delays.Dispose();

    [Fact]
    public void A_reader_takes_what_is_after_its_cursor_and_acknowledging_forgets_it()
    {
        var outbox = new Outbox<string>(Delays);
        Assert.Equal((0L, Array.Empty<string>()), outbox.After(0));
        outbox.Add("a");
        outbox.Add("b");

        var (cursor, items) = outbox.After(0);
        Assert.Equal(["a", "b"], items);
        outbox.Add("c");
        var taken = new List<string>();
        outbox.Acknowledge(cursor, taken.Add);

        Assert.Equal(["a", "b"], taken);
        Assert.Equal(["c"], outbox.Items);
        var (next, rest) = outbox.After(cursor);
        Assert.Equal(["c"], rest);
        Assert.Equal(cursor + 1, next);
        Assert.Equal((next, Array.Empty<string>()), outbox.After(next));
    }

    [Fact]
    public void Sequence_numbers_keep_rising_across_a_clear_so_an_old_cursor_never_skips_new_items()
    {
        var outbox = new Outbox<int>(Delays);
        outbox.Add(1);
        var (cursor, _) = outbox.After(0);
        outbox.Clear();
        outbox.Add(2);

        Assert.Equal([2], outbox.After(cursor).Items);
    }

    [Fact]
    public async Task A_long_poll_ends_when_an_item_arrives_or_the_outbox_is_cleared_and_at_once_when_something_waits()
    {
        var outbox = new Outbox<int>(Delays);
        Assert.True(outbox.WaitAsync(TimeSpan.Zero).IsCompleted);

        var waiting = outbox.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.False(waiting.IsCompleted);
        outbox.Add(1);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(outbox.WaitAsync(TimeSpan.FromMinutes(5)).IsCompleted);

        outbox.Acknowledge(outbox.After(0).Cursor);
        var cleared = outbox.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.False(cleared.IsCompleted);
        outbox.Clear();
        await cleared.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_long_poll_with_nothing_to_take_ends_after_its_wait()
    {
        var outbox = new Outbox<int>(Delays);
        await outbox.WaitAsync(TimeSpan.FromMilliseconds(100)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, outbox.Count);
    }
}
