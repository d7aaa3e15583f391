namespace OrleansDcos.Runtime;

/// <summary>What a running activation offers its grain (implemented by the runtime).</summary>
internal interface IGrainContext
{
    GrainId Id { get; }

    IGrainFactory GrainFactory { get; }

    IServiceProvider Services { get; }

    void DeactivateOnIdle();

    void DelayDeactivation(TimeSpan period);

    IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool interleave);

    Task<IGrainReminder> RegisterOrUpdateReminder(string name, TimeSpan dueTime, TimeSpan period);

    Task UnregisterReminder(IGrainReminder reminder);

    Task<IGrainReminder?> GetReminder(string name);

    IStreamProvider GetStreamProvider(string name);
}
