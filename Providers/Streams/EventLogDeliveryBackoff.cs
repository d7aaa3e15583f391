using Orleans.Runtime.Providers;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// How long a pulling agent waits before delivering to a consumer again after a failed delivery: 100 ms, doubling,
/// at most 2 s. Orleans' default (1 s doubling to 30 s) made a consumer whose silo died wait up to 30 s more after it
/// was active again elsewhere — a delivery tried while the dead silo was not yet declared dead fails, and the next
/// try came late; under load its stream then seemed stuck for a minute (the stream failover test saw it).
/// </summary>
public sealed class EventLogDeliveryBackoff : IMessageDeliveryBackoffProvider
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public TimeSpan Next(int attempt) =>
        attempt <= 1 ? First : TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Min(attempt - 1, 20)));
}
