namespace OrleansDcos.Silo.Marathon;

/// <summary>This silo's <c>/v2</c> HTTP requests: active ones, open event streams, and answers by status class.</summary>
public sealed class MarathonHttpMetrics
{
    private readonly long[] _byClass = new long[6];
    private long _active;
    private long _streams;
    private long _requests;

    /// <summary>Requests being answered (event streams not included).</summary>
    public long ActiveRequests => Interlocked.Read(ref _active);

    /// <summary>Open <c>/v2/events</c> streams.</summary>
    public long ActiveEventStreams => Interlocked.Read(ref _streams);

    /// <summary>A request started.</summary>
    public void Started(bool eventStream)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref eventStream ? ref _streams : ref _active);
    }

    /// <summary>A request ended with <paramref name="status"/>.</summary>
    public void Finished(bool eventStream, int status)
    {
        Interlocked.Decrement(ref eventStream ? ref _streams : ref _active);
        Interlocked.Increment(ref _byClass[Math.Clamp(status / 100, 0, 5)]);
    }

    /// <summary>The counters: requests, and answers by status class.</summary>
    public IEnumerable<(string Name, long Value)> Counters()
    {
        yield return ("marathon.http.requests.counter", Interlocked.Read(ref _requests));
        for (var c = 1; c <= 5; c++)
        {
            yield return ($"marathon.http.responses.{c}xx.counter", Interlocked.Read(ref _byClass[c]));
        }
    }
}
