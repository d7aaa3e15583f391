using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// The agent's dynamic reservations and persistent volumes: kept in the grain's state (they outlive silo and daemon
/// restarts), laid over the resources the daemon reports, and sent to the daemon, which makes and deletes the volumes'
/// directories to match.
/// </summary>
internal sealed partial class AgentGrain
{
    /// <summary>The agent's total: what the daemon reports, with the reservations and volumes laid over it.</summary>
    private Resources Total()
    {
        var (total, missing) = CheckpointedResources.Apply(state.State.Info?.Resources ?? Resources.Empty, state.State.Checkpointed);
        if (!missing.IsEmpty)
        {
            MasterLog.CheckpointedMissing(logger, AgentId, missing.ToString());
        }

        return total;
    }

    /// <summary>The registration as the allocator and the operator API see it: resources are the total.</summary>
    private AgentInfo EffectiveInfo() => state.State.Info! with { Resources = Total() };

    /// <inheritdoc />
    public async Task Convert(IReadOnlyList<OfferOperation> conversions)
    {
        var total = Total();
        try
        {
            total = conversions.Aggregate(total, (r, c) => c.AsConversion()!.Apply(r));
        }
        catch (ResourceOperationException ex)
        {
            // The allocator applied them to its view, which this state does not match: it is told the truth again.
            MasterLog.ConversionDiverged(logger, AgentId, ex.Message);
            await ReportToAllocatorAsync();
            throw new MasterValidationException(ex.Message);
        }

        state.State.Checkpointed = total.Dynamic;
        await state.WriteStateAsync();
        SendCheckpointed();
    }

    /// <inheritdoc />
    public async Task Operate(IReadOnlyList<OfferOperation> conversions)
    {
        if (!Standing || state.State.Info is null)
        {
            throw new MasterValidationException($"agent '{AgentId}' is not registered");
        }

        var preview = Total();
        try
        {
            foreach (var conversion in conversions)
            {
                preview = (conversion.AsConversion() ?? throw new MasterValidationException($"{conversion.Type} is not RESERVE, UNRESERVE, CREATE or DESTROY")).Apply(preview);
            }
        }
        catch (ResourceOperationException ex)
        {
            throw new MasterValidationException(ex.Message);
        }

        if (conversions.Any(c => c.Type == OfferOperationTypes.Destroy)
            && conversions.Where(c => c.Type == OfferOperationTypes.Destroy).SelectMany(c => c.Resources!.Volumes).FirstOrDefault(InUse) is { } busy)
        {
            throw new MasterValidationException($"persistent volume '{busy.Volume!.Id}' is in use by a task");
        }

        await Allocator.ConvertUnallocated(AgentId, conversions);
        await Convert(conversions);
    }

    /// <summary>True when a live task was launched with this volume.</summary>
    private bool InUse(Resource volume) =>
        _tasks.Values.Any(e => !e.Task.State.IsTerminal() && e.Task.Resources.Volumes.Any(v => v.Role == volume.Role && v.Volume!.Id == volume.Volume!.Id));

    /// <summary>Tells the daemon every reservation and volume it has now (it makes and deletes volume directories to match).</summary>
    private void SendCheckpointed()
    {
        if (_link is not null)
        {
            Enqueue(new AgentCommand(AgentCommandTypes.CheckpointResources, Resources: state.State.Checkpointed));
        }
    }
}
