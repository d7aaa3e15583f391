using System.Diagnostics;
using Orleans.Placement;

namespace OrleansDcos.Benchmarks.Scenarios;

public interface IBenchTarget : IGrainWithStringKey
{
    Task<int> Ping(int value);
}

public sealed class BenchTarget : Grain, IBenchTarget
{
    public Task<int> Ping(int value) => Task.FromResult(value + 1);
}

public interface IBenchCaller : IGrainWithStringKey
{
    /// <summary>Makes <paramref name="calls"/> sequential calls over <paramref name="targets"/> grains; returns sampled latencies in Stopwatch ticks.</summary>
    Task<long[]> Run(int calls, int targets, int sampleEvery);
}

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

public sealed class BenchState
{
    public long Value { get; set; }

    public string Payload { get; set; } = string.Empty;
}

public interface IBenchWriter : IGrainWithStringKey
{
    Task Write(int times);
}

public interface IBenchReader : IGrainWithStringKey
{
    Task<long> Read();
}

public sealed class BenchWriter([PersistentState("bench")] IPersistentState<BenchState> state) : Grain, IBenchWriter, IBenchReader
{
    public Task<long> Read() => Task.FromResult(state.State.Value);

    public async Task Write(int times)
    {
        for (var i = 0; i < times; i++)
        {
            state.State.Value++;
            state.State.Payload = $"write {state.State.Value} of {this.GetPrimaryKeyString()}";
            await state.WriteStateAsync();
        }
    }
}

public interface IRemoteTarget : IGrainWithStringKey
{
    Task<int> Ping(int value);
}

[PreferLocalPlacement]
public sealed class RemoteTarget : Grain, IRemoteTarget
{
    public Task<int> Ping(int value) => Task.FromResult(value + 1);
}

public interface IRemoteCaller : IGrainWithStringKey
{
    Task<long[]> Run(string[] targets, int calls, int sampleEvery);
}

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
