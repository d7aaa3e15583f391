namespace OrleansDcos.Grains.Marathon.Events;

/// <summary>What the subscriptions keep: the URLs and how far delivery got.</summary>
public sealed class EventSubscriptionsState
{
    /// <summary>Callback URLs, in subscription order.</summary>
    public List<string> CallbackUrls { get; set; } = [];

    /// <summary>The sequence of the last event delivered (or given up on) to every subscriber.</summary>
    public long Delivered { get; set; }
}
