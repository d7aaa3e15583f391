namespace OrleansDcos.Runtime.Streams;

/// <summary>Settings of a stream provider.</summary>
public sealed record StreamProviderOptions
{
    /// <summary>How often the provider looks for events appended elsewhere (other processes) and retries. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Events older than this are dropped from the log. Default 7 days.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Attempts to deliver one event to a failing consumer before it is skipped (and logged). Default 5.</summary>
    public int MaxDeliveryAttempts { get; init; } = 5;

    /// <summary>Events read per query. Default 256.</summary>
    public int BatchSize { get; init; } = 256;
}
