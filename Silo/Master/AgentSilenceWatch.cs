using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Master;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// Judges the silence of the agent links this silo holds, for all of them at once: every quarter of the silence
/// bound (at most every second) it sweeps <see cref="AgentLiveness"/> and tells the agent grain of each link silent
/// past <see cref="MasterOptions.AgentUnreachableTimeout"/>, which marks the agent UNREACHABLE. An agent grain keeps a
/// timer of its own only while its link is not on its own silo (or it has none).
/// </summary>
internal sealed partial class AgentSilenceWatch(IGrainFactory grains, AgentLiveness liveness, IOptions<MasterOptions> options, TimeProvider time, ILogger<AgentSilenceWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bound = options.Value.AgentUnreachableTimeout;
        var every = AgentLiveness.CheckInterval(bound);
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (linkId, agentId) in liveness.Sweep(bound, every))
                {
                    LinkSilent(logger, linkId, agentId, bound);
                    _ = TellAsync(agentId, linkId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task TellAsync(string agentId, Guid linkId)
    {
        try
        {
            await grains.GetGrain<IAgentGrain>(agentId).LinkSilent(linkId);
        }
        catch (Exception ex)
        {
            // The grain's silo is failing over: the link's next call fails too, and the daemon registers again.
            CouldNotTell(logger, agentId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "agent link {LinkId} of agent {AgentId} silent for {Bound}")]
    private static partial void LinkSilent(ILogger logger, Guid linkId, string agentId, TimeSpan bound);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not tell agent {AgentId} that its link is silent: {Message}")]
    private static partial void CouldNotTell(ILogger logger, string agentId, string message);
}
