namespace OrleansDcos.Benchmarks.Scenarios;

public interface IBenchTarget : IGrainWithStringKey
{
    Task<int> Ping(int value);
}
