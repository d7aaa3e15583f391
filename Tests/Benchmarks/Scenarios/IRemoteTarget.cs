namespace OrleansDcos.Benchmarks.Scenarios;

public interface IRemoteTarget : IGrainWithStringKey
{
    Task<int> Ping(int value);
}
