namespace OrleansDcos.Runtime.Activation;

/// <summary>Work an activation runs as a turn that is not a grain request: a timer tick, a stream event for a subscribed grain.</summary>
internal interface IActivationWork
{
    /// <summary>True when it may run while a request runs.</summary>
    bool Interleave { get; }

    /// <summary>Runs the work (never throws).</summary>
    Task RunAsync();

    /// <summary>The activation went away before running it.</summary>
    void Skipped();
}

/// <summary>A one-off callback run as a turn; <see cref="Completion"/> tells the outcome.</summary>
internal sealed class CallbackWork(Func<Task> callback) : IActivationWork
{
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Interleave => false;

    public async Task RunAsync()
    {
        try
        {
            await callback();
            Completion.TrySetResult();
        }
        catch (Exception ex)
        {
            Completion.TrySetException(ex);
        }
    }

    public void Skipped() => Completion.TrySetException(new InvalidOperationException("the subscribing activation went away before the event was delivered"));
}
