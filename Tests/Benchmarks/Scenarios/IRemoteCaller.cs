namespace OrleansDcos.Benchmarks.Scenarios;

public interface IRemoteCaller : IGrainWithStringKey
{
    Task<long[]> Run(string[] targets, int calls, int sampleEvery);
}
