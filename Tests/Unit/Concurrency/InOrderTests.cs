using OrleansDcos.Grains.Concurrency;
using Xunit;

namespace OrleansDcos.Tests.Unit.Concurrency;

[Trait("Area", "Concurrency")]
public sealed class InOrderTests
{
    [Fact]
    public async Task Steps_run_one_after_another_in_the_order_begun_and_the_caller_goes_on_at_once()
    {
        var order = new InOrder();
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var log = new List<string>();
        var steps = Enumerable.Range(0, 3).Select(i => order.Then(async () =>
        {
            log.Add($"start {i}");
            await gates[i].Task;
            log.Add($"end {i}");
            return i;
        })).ToArray();

        Assert.All(steps, s => Assert.False(s.IsCompleted)); // begun, none waited for
        gates[2].SetResult(); // the last may finish first: it still runs only after the others
        gates[0].SetResult();
        gates[1].SetResult();

        var results = await Task.WhenAll(steps);
        Assert.Equal([0, 1, 2], results);
        Assert.Equal(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"], log);
    }

    [Fact]
    public async Task A_failing_step_fails_its_own_task_and_the_next_still_runs()
    {
        var order = new InOrder();
        var failing = order.Then(() => Task.FromException(new InvalidOperationException("write failed")));
        var next = order.Then(() => Task.FromResult("ran"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("ran", await next);
    }
}
