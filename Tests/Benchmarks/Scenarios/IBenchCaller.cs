namespace OrleansDcos.Benchmarks.Scenarios;

public interface IBenchCaller : IGrainWithStringKey
{
    /// <summary>Makes <paramref name="calls"/> sequential calls over <paramref name="targets"/> grains; returns sampled latencies in Stopwatch ticks.</summary>
    Task<long[]> Run(int calls, int targets, int sampleEvery);
}
