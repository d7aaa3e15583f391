using System.Diagnostics;

namespace OrleansDcos.Benchmarks.Scenarios;

public sealed class BenchCaller : Grain, IBenchCaller
{
    public async Task<long[]> Run(int calls, int targets, int sampleEvery)
    {
        var grains = Enumerable.Range(0, targets).Select(i => GrainFactory.GetGrain<IBenchTarget>($"{this.GetPrimaryKeyString()}-t{i}")).ToArray();
        var samples = new long[calls / sampleEvery + 1];
        var taken = 0;
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await grains[i % targets].Ping(i);
            if (i % sampleEvery == 0)
            {
                samples[taken++] = Stopwatch.GetTimestamp() - start;
            }
        }

        return samples[..taken];
    }
}
