using System.Diagnostics;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>An Orleans grain that publishes numbered events on Marathon's event stream at a steady rate, each awaited (durable) before the next.</summary>
public interface IBenchEventPublisher : IGrainWithIntegerKey
{
    /// <summary>
    /// Publishes events numbered <paramref name="first"/>, <paramref name="first"/> + <paramref name="stride"/>, … below
    /// <paramref name="end"/>, event <c>n</c> when <c>n / perSecond</c> seconds have passed since the
    /// <see cref="Stopwatch"/> timestamp <paramref name="start"/> (a schedule shared by every publisher, so one
    /// late send does not delay the rest); each carries its number (<c>seq</c>) and when it was published (<c>at</c>).
    /// </summary>
    Task Publish(int first, int stride, int end, double perSecond, long start);
}
