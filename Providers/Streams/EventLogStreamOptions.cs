namespace OrleansDcos.Providers.Streams;

/// <summary>Settings of an event-log stream provider.</summary>
public sealed class EventLogStreamOptions
{
    /// <summary>How long events stay in the log (readable by position) before they are dropped. Default 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
