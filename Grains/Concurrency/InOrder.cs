namespace OrleansDcos.Grains.Concurrency;

/// <summary>
/// Steps that must run one after another in the order they were begun, while whoever begins one goes on at once: a
/// grain publishes each batch of status updates on the durable stream, then forwards them, after every batch it began
/// before — without holding its turn while the stream writes. Used from one grain's turns (no locking); a step that
/// fails does not stop the ones after it (each step reports its own outcome through the task it returns).
/// </summary>
public sealed class InOrder
{
    private Task _last = Task.CompletedTask;

    /// <summary>Runs <paramref name="step"/> once every step begun before has finished; its task completes with the step.</summary>
    public Task<T> Then<T>(Func<Task<T>> step)
    {
        var next = AfterAsync(_last, step);
        _last = next;
        return next;
    }

    /// <summary>Runs <paramref name="step"/> once every step begun before has finished.</summary>
    public Task Then(Func<Task> step) => Then(async () =>
    {
        await step();
        return true;
    });

    private static async Task<T> AfterAsync<T>(Task previous, Func<Task<T>> step)
    {
        await previous.ContinueWith(static _ => { }, TaskScheduler.Current);
        return await step();
    }
}
