namespace OrleansDcos.Benchmarks.Scenarios;

public sealed class BenchState
{
    public long Value { get; set; }

    public string Payload { get; set; } = string.Empty;
}
