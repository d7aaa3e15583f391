using OrleansDcos.Grains.Concurrency;
using Xunit;

namespace OrleansDcos.Tests.Unit.Concurrency;

[Trait("Area", "Runtime")]
public sealed class CoalescedWritesTests
{
    /// <summary>A store whose writes record the state they saw and finish when the test says.</summary>
    private sealed class Store
    {
        public int State { get; set; }

        public List<(int Saw, TaskCompletionSource Done)> Writes { get; } = [];

        public Task Write()
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Writes)
            {
                Writes.Add((State, done));
            }

            return done.Task;
        }

        public int Count
        {
            get
            {
                lock (Writes)
                {
                    return Writes.Count;
                }
            }
        }
    }

    [Fact]
    public async Task Changes_made_while_a_write_runs_share_the_next_write_and_wait_for_it()
    {
        var store = new Store();
        var writes = new CoalescedWrites(store.Write);
        store.State = 1;
        var first = writes.PersistAsync();
        Assert.Equal(1, store.Count);

        var later = new List<Task>();
        for (var i = 2; i <= 50; i++)
        {
            store.State = i;
            later.Add(writes.PersistAsync());
        }

        Assert.Equal(1, store.Count);
        store.Writes[0].Done.SetResult();
        await first;
        Assert.All(later, t => Assert.False(t.IsCompleted)); // the running write began before their changes

        await WaitUntil(() => store.Count == 2);
        Assert.Equal(50, store.Writes[1].Saw);
        Assert.All(later, t => Assert.False(t.IsCompleted));
        store.Writes[1].Done.SetResult();
        await Task.WhenAll(later);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task The_caller_whose_write_failed_gets_the_error_and_the_ones_behind_it_write_again()
    {
        var store = new Store();
        var writes = new CoalescedWrites(store.Write);
        var first = writes.PersistAsync();
        var behind = writes.PersistAsync();
        store.Writes[0].Done.SetException(new InvalidOperationException("disk full"));
        Assert.Equal("disk full", (await Assert.ThrowsAsync<InvalidOperationException>(() => first)).Message);

        await WaitUntil(() => store.Count == 2);
        store.Writes[1].Done.SetResult();
        await behind;
    }

    [Fact]
    public async Task Settled_waits_only_for_changes_already_announced()
    {
        var store = new Store();
        var writes = new CoalescedWrites(store.Write);
        await writes.SettledAsync();
        Assert.Equal(0, store.Count);

        var change = writes.PersistAsync();
        var settled = writes.SettledAsync();
        Assert.False(settled.IsCompleted);
        store.Writes[0].Done.SetResult();
        await Task.WhenAll(change, settled);
        Assert.Equal(1, store.Count);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Yield();
        }
    }
}
