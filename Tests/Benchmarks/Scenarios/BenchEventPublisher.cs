using System.Diagnostics;
using System.Globalization;
using OrleansDcos.Grains;
using OrleansDcos.Grains.Marathon;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <inheritdoc cref="IBenchEventPublisher" />
public sealed class BenchEventPublisher : Grain, IBenchEventPublisher
{
    /// <summary>The event type the bench publishes.</summary>
    public const string EventType = "bench_event";

    /// <inheritdoc />
    public async Task Publish(int first, int stride, int end, double perSecond, long start)
    {
        var stream = this.GetStreamProvider(MarathonEventStream.ProviderName)
            .GetStream<MarathonEvent>(DcosStreams.MarathonEvents);
        for (var seq = first; seq < end; seq += stride)
        {
            var early = TimeSpan.FromSeconds(seq / perSecond) - Stopwatch.GetElapsedTime(start);
            if (early > TimeSpan.Zero)
            {
                await Task.Delay(early);
            }

            var at = Stopwatch.GetTimestamp();
            await stream.OnNextAsync(new MarathonEvent(EventType, string.Create(CultureInfo.InvariantCulture,
                $$"""{"eventType":"{{EventType}}","seq":{{seq}},"at":{{at}}}""")));
        }
    }
}
