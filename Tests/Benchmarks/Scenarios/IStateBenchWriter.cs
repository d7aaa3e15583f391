namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>An Orleans grain that writes its state <c>n</c> times in a row, each write awaited (acknowledged) before the next.</summary>
public interface IStateBenchWriter : IGrainWithStringKey
{
    /// <summary>Writes <paramref name="times"/> times.</summary>
    Task Write(int times);
}
