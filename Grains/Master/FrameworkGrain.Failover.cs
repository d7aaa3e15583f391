using Orleans;
using Orleans.Runtime;

namespace OrleansDcos.Grains.Master;

/// <summary>The failover timeout: a framework away longer than it allows is removed, by a timer and a reminder (so a dead silo does not stop it).</summary>
internal sealed partial class FrameworkGrain
{
    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == FailoverReminder)
        {
            await CheckFailoverAsync();
        }
    }

    /// <summary>A framework's failover timeout (Mesos gives it in seconds; a huge one is as good as forever).</summary>
    private static TimeSpan FailoverTimeout(FrameworkInfo info) =>
        info.FailoverTimeoutSeconds >= TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.MaxValue / 2 : TimeSpan.FromSeconds(info.FailoverTimeoutSeconds);

    private async Task StartFailoverAsync()
    {
        var info = state.State.Info!;
        var remaining = state.State.DisconnectedTime!.Value + FailoverTimeout(info) - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            await RemoveAsync($"its failover timeout ({info.FailoverTimeoutSeconds} s) passed");
            return;
        }

        // A timer for precision; a reminder so the timeout still fires if this silo dies meanwhile.
        _failoverTimer?.Dispose();
        _failoverTimer = this.RegisterGrainTimer(_ => CheckFailoverAsync(), remaining, Timeout.InfiniteTimeSpan);
        await this.RegisterOrUpdateReminder(FailoverReminder, remaining, TimeSpan.FromMinutes(1));
    }

    private async Task StopFailoverAsync()
    {
        _failoverTimer?.Dispose();
        _failoverTimer = null;
        if (await this.GetReminder(FailoverReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task CheckFailoverAsync()
    {
        if (state.State is { Removed: false, DisconnectedTime: { } since, Info: { } info } && _stream is null
            && time.GetUtcNow() >= since + FailoverTimeout(info) - TimeSpan.FromMilliseconds(1))
        {
            await RemoveAsync($"its failover timeout ({info.FailoverTimeoutSeconds} s) passed");
        }
        else if (_stream is not null || state.State.Removed)
        {
            await StopFailoverAsync();
        }
    }

    private async Task RemoveAsync(string why)
    {
        MasterLog.FrameworkRemoved(logger, FrameworkId, why);
        state.State.Removed = true;
        await state.WriteStateAsync();
        CloseStream();
        _offers.Clear();
        await StopFailoverAsync();
        await GrainFactory.GetGrain<IRegistryGrain>(MasterKeys.FrameworkRegistry).MarkRemoved(FrameworkId);
        await Allocator.RemoveFramework(FrameworkId);

        // Every agent is told (the index may be incomplete after a failover); agents also kill the framework's
        // tasks when a daemon re-registers with them later.
        foreach (var shard in MasterKeys.AllAgentRegistries)
        {
            foreach (var (agentId, removed) in await GrainFactory.GetGrain<IRegistryGrain>(shard).List())
            {
                if (!removed)
                {
                    await GrainFactory.GetGrain<IAgentGrain>(agentId).ShutdownFramework(FrameworkId);
                }
            }
        }
    }
}
