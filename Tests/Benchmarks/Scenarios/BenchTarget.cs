namespace OrleansDcos.Benchmarks.Scenarios;

public sealed class BenchTarget : Grain, IBenchTarget
{
    public Task<int> Ping(int value) => Task.FromResult(value + 1);
}
