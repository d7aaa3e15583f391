namespace OrleansDcos.Tests.Orleans.Clustering;

/// <summary>A grain that counts the ticks of its reminder, wherever it lives (the count is the test process's).</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Registers a reminder ticking every second.</summary>
    Task StartTicking();

    /// <summary>The silo it lives on.</summary>
    Task<string> Silo();
}
