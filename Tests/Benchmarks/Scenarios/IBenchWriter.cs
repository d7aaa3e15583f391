namespace OrleansDcos.Benchmarks.Scenarios;

public interface IBenchWriter : IGrainWithStringKey
{
    Task Write(int times);
}
