using Orleans;
using Orleans.Concurrency;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// Event subscriptions (key <see cref="MarathonKeys.Scheduler"/>): callback URLs that get every event of the bus
/// POSTed, in order, each retried with backoff until it is taken or its attempts run out.
/// </summary>
[Alias("dcos.IEventSubscriptionsGrain")]
public interface IEventSubscriptionsGrain : IGrainWithStringKey
{
    /// <summary>Adds a callback URL (idempotent).</summary>
    Task Subscribe(string callbackUrl, string? clientIp);

    /// <summary>Removes a callback URL; false when it was not subscribed.</summary>
    Task<bool> Unsubscribe(string callbackUrl, string? clientIp);

    /// <summary>The callback URLs.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> List();

    /// <summary>Keeps the delivery running.</summary>
    Task Ping();
}
