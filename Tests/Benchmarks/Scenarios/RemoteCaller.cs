using System.Diagnostics;
using Orleans.Placement;

namespace OrleansDcos.Benchmarks.Scenarios;

[PreferLocalPlacement]
public sealed class RemoteCaller : Grain, IRemoteCaller
{
    public async Task<long[]> Run(string[] targets, int calls, int sampleEvery)
    {
        var grains = targets.Select(t => GrainFactory.GetGrain<IRemoteTarget>(t)).ToArray();
        var samples = new List<long>(calls / sampleEvery + 1);
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await grains[i % grains.Length].Ping(i);
            if (i % sampleEvery == 0)
            {
                samples.Add(Stopwatch.GetTimestamp() - start);
            }
        }

        return [.. samples];
    }
}
