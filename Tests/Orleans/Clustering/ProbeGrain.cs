using System.Collections.Concurrent;

namespace OrleansDcos.Tests.Orleans.Clustering;

/// <summary>A grain that counts the ticks of its reminder, wherever it lives (the count is the test process's).</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Registers a reminder ticking every second.</summary>
    Task StartTicking();

    /// <summary>The silo it lives on.</summary>
    Task<string> Silo();
}

/// <summary>The reminder's ticks, by grain key: shared by every silo of an in-process cluster.</summary>
public static class ProbeTicks
{
    /// <summary>Ticks so far.</summary>
    public static ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);
}

/// <inheritdoc cref="IProbeGrain" />
public sealed class ProbeGrain(ILocalSiloDetails silo) : Grain, IProbeGrain, IRemindable
{
    /// <inheritdoc />
    public Task StartTicking() => this.RegisterOrUpdateReminder("tick", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    /// <inheritdoc />
    public Task<string> Silo() => Task.FromResult(silo.SiloAddress.ToString());

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ProbeTicks.Counts.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
