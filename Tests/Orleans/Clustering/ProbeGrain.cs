namespace OrleansDcos.Tests.Orleans.Clustering;

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
