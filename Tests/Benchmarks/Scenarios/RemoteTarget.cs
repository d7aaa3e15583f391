using Orleans.Placement;

namespace OrleansDcos.Benchmarks.Scenarios;

[PreferLocalPlacement]
public sealed class RemoteTarget : Grain, IRemoteTarget
{
    public Task<int> Ping(int value) => Task.FromResult(value + 1);
}
