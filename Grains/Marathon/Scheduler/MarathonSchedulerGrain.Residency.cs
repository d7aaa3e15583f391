using Orleans;
using OrleansDcos.Grains.Master;
using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Marathon.Scheduler;

/// <summary>
/// Resident apps in a round of offers: a reservation to release is destroyed and unreserved as soon as its agent
/// offers it; an instance waiting for launch takes a free reservation of its app when that reservation's agent offers
/// it; only an app with no free reservation left gets new ones (RESERVE and CREATE in the ACCEPT of their launch).
/// Dynamically reserved resources are never used by any other launch.
/// </summary>
internal sealed partial class MarathonSchedulerGrain
{
    /// <summary>What a round does with resident apps' reservations.</summary>
    private sealed class ResidentRound
    {
        /// <summary>Per agent, the DESTROY and UNRESERVE of reservations released there.</summary>
        public Dictionary<string, List<OfferOperation>> Releases { get; } = new(StringComparer.Ordinal);

        /// <summary>Per agent, the released reservations' (app, id).</summary>
        public Dictionary<string, List<(string AppId, string Id)>> Released { get; } = new(StringComparer.Ordinal);

        /// <summary>Per app, launches on reservations it has.</summary>
        public Dictionary<string, List<InstanceRecord>> Relaunches { get; } = new(StringComparer.Ordinal);

        /// <summary>Per app, its free reservations whose agents did not offer them this round (they hold back new ones).</summary>
        public Dictionary<string, int> Waiting { get; } = new(StringComparer.Ordinal);

        /// <summary>Per new reservation id, its RESERVE and CREATE.</summary>
        public Dictionary<string, (Resources Reserve, Resources Create)> NewReservations { get; } = new(StringComparer.Ordinal);

        /// <summary>Per app, the new reservations proposed with its launches.</summary>
        public Dictionary<string, List<ResidentReservation>> Proposed { get; } = new(StringComparer.Ordinal);

        /// <summary>The launches of <paramref name="appId"/> this round takes from its reservations or holds back for them.</summary>
        public int Covered(string appId) => (Relaunches.GetValueOrDefault(appId)?.Count ?? 0) + Waiting.GetValueOrDefault(appId);
    }

    /// <summary>Releases and relaunches on reservations, agent by agent, from what each agent's offers hold.</summary>
    private ResidentRound PlanResident(IReadOnlyList<IGrouping<string, OfferInfo>> byAgent, IReadOnlyCollection<QueueState> launching)
    {
        var round = new ResidentRound();
        var withReservations = _queue.Values.Where(q => q.Entry.Reservations is { Count: > 0 }).ToList();
        if (withReservations.Count == 0)
        {
            return round;
        }

        var offered = byAgent.ToDictionary(g => g.Key, g => g.Aggregate(Resources.Empty, (sum, o) => sum.Plus(o.Resources)), StringComparer.Ordinal);
        foreach (var q in withReservations)
        {
            var appId = q.Entry.AppId;
            var wanted = launching.Contains(q) ? q.Entry.Count : 0;
            foreach (var reservation in q.Entry.Reservations!)
            {
                if (!offered.TryGetValue(reservation.AgentId, out var available) || !available.Contains(reservation.Resources))
                {
                    round.Waiting[appId] = round.Waiting.GetValueOrDefault(appId) + (reservation.Releasing ? 0 : 1);
                    continue;
                }

                if (reservation.Releasing)
                {
                    var (destroy, unreserve) = ResidentResources.Release(reservation.Resources);
                    var operations = round.Releases.TryGetValue(reservation.AgentId, out var list) ? list : round.Releases[reservation.AgentId] = [];
                    if (!destroy.IsEmpty)
                    {
                        operations.Add(OfferOperation.Conversion(OfferOperationTypes.Destroy, destroy));
                    }

                    operations.Add(OfferOperation.Conversion(OfferOperationTypes.Unreserve, unreserve));
                    (round.Released.TryGetValue(reservation.AgentId, out var ids) ? ids : round.Released[reservation.AgentId] = []).Add((appId, reservation.Id));
                    offered[reservation.AgentId] = available.Minus(reservation.Resources);
                    continue;
                }

                var relaunches = round.Relaunches.TryGetValue(appId, out var known) ? known : round.Relaunches[appId] = [];
                if (relaunches.Count >= wanted || q.Entry.Definition is not { } app)
                {
                    continue;
                }

                var offer = byAgent.First(g => g.Key == reservation.AgentId).First();
                relaunches.Add(NewInstance(app, new Assignment(reservation.AgentId, reservation.Resources), offer) with { ReservationId = reservation.Id });
                offered[reservation.AgentId] = available.Minus(reservation.Resources);
            }
        }

        return round;
    }

    /// <summary>A new instance of resident <paramref name="app"/> on unreserved resources placed for it: its reservation, volumes and launch.</summary>
    private InstanceRecord NewResidentInstance(AppDefinition app, Assignment assignment, OfferInfo offer, ResidentRound round)
    {
        var id = Guid.NewGuid().ToString("N");
        var reservation = new Reservation(_options.Principal, [
            KeyValuePair.Create(ResidentReservation.FrameworkLabel, MarathonKeys.FrameworkId),
            KeyValuePair.Create(ResidentReservation.AppLabel, app.Id),
            KeyValuePair.Create(ResidentReservation.IdLabel, id),
        ]);
        var volumes = app.PersistentVolumes()
            .Select(v => new ResidentResources.VolumeRequest($"{app.Id.Trim('/').Replace('/', '.')}#{v.ContainerPath}#{id}", v.ContainerPath, v.Persistent!.Size))
            .ToList();
        var (reserve, create, task) = ResidentResources.Of(assignment.Resources, _options.ResidentRole, reservation, volumes);
        round.NewReservations[id] = (reserve, create);
        var instance = NewInstance(app, assignment with { Resources = task }, offer) with { ReservationId = id };
        (round.Proposed.TryGetValue(app.Id, out var list) ? list : round.Proposed[app.Id] = [])
            .Add(new ResidentReservation(id, assignment.AgentId, offer.Hostname, offer.Attributes, task, instance.TaskId, HostIp: offer.Address));
        return instance;
    }

    /// <summary>The conversions of an agent's ACCEPT: releases first, then the RESERVE and CREATE of the new reservations launched there.</summary>
    private static List<OfferOperation> ConversionsOf(string agentId, IEnumerable<InstanceRecord> launches, ResidentRound round)
    {
        var operations = new List<OfferOperation>(round.Releases.GetValueOrDefault(agentId) ?? []);
        foreach (var launch in launches)
        {
            if (launch.ReservationId is { } id && round.NewReservations.TryGetValue(id, out var made))
            {
                operations.Add(OfferOperation.Conversion(OfferOperationTypes.Reserve, made.Reserve));
                if (!made.Create.IsEmpty)
                {
                    operations.Add(OfferOperation.Conversion(OfferOperationTypes.Create, made.Create));
                }
            }
        }

        return operations;
    }

    /// <summary>Tells each app the reservations released in an ACCEPT the master took.</summary>
    private async Task ReportReleasedAsync(string agentId, ResidentRound round)
    {
        foreach (var app in (round.Released.GetValueOrDefault(agentId) ?? []).GroupBy(r => r.AppId))
        {
            try
            {
                await GrainFactory.GetGrain<IAppGrain>(app.Key).ReservationsReleased([.. app.Select(r => r.Id)]);
            }
            catch (Exception ex)
            {
                MarathonLog.ClaimFailed(logger, ex, app.Key);
            }
        }
    }
}
