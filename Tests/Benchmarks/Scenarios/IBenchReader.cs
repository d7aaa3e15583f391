namespace OrleansDcos.Benchmarks.Scenarios;

public interface IBenchReader : IGrainWithStringKey
{
    Task<long> Read();
}
