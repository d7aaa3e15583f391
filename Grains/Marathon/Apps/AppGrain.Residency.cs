using Orleans;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>
/// A resident app's reservations: each instance is launched on one (a free one first, a new one only when none is
/// left), keeps it when its task ends or the app scales down, and gives it up — destroyed and unreserved by the
/// scheduler at its agent's next offer — when the app is deleted or the instance is expunged.
/// </summary>
internal sealed partial class AppGrain
{
    /// <summary>Reservations no live task uses (free, or to be released): what the scheduler's queue carries.</summary>
    private List<ResidentReservation> DetachedReservations() => [.. S.Reservations.Values.Where(r => r.TaskId is null).OrderBy(r => r.Id, StringComparer.Ordinal)];

    /// <summary>
    /// Binds the accepted proposals of a resident app to their reservations: an existing free one on the same agent,
    /// or a new one while the app holds fewer than it needs. Returns the proposals taken.
    /// </summary>
    private List<InstanceRecord> ClaimResident(IReadOnlyList<InstanceRecord> proposed, IReadOnlyList<ResidentReservation>? fresh, AppDefinition target)
    {
        var taken = new List<InstanceRecord>();
        var needed = target.Instances + S.Instances.Values.Count(i => S.UnreachableTimes.ContainsKey(i.TaskId));
        foreach (var proposal in proposed)
        {
            if (taken.Count >= _pending || proposal.ReservationId is not { } id)
            {
                continue;
            }

            if (S.Reservations.TryGetValue(id, out var existing))
            {
                if (existing is { TaskId: null, Releasing: false } && existing.AgentId == proposal.AgentId)
                {
                    S.Reservations[id] = existing with { TaskId = proposal.TaskId };
                    taken.Add(proposal);
                }

                continue;
            }

            var held = S.Reservations.Values.Count(r => !r.Releasing);
            var free = S.Reservations.Values.Any(r => r is { TaskId: null, Releasing: false });
            if (!free && held < needed && fresh?.FirstOrDefault(r => r.Id == id && r.AgentId == proposal.AgentId) is { } made)
            {
                S.Reservations[id] = made with { TaskId = proposal.TaskId, Releasing = false };
                taken.Add(proposal);
            }
        }

        return taken;
    }

    /// <summary>
    /// Frees the reservations whose task is gone and marks for release those of a deleted app or of an expunged
    /// instance; true when something changed.
    /// </summary>
    private bool SettleReservations(IReadOnlyCollection<InstanceRecord> expunged)
    {
        var changed = false;
        foreach (var reservation in S.Reservations.Values.ToList())
        {
            var next = reservation;
            if (next.TaskId is { } taskId && !S.Instances.ContainsKey(taskId))
            {
                // Its task ended: the instance waits detached, as Marathon keeps a resident instance's reservation.
                next = next with { TaskId = null, Releasing = next.Releasing || expunged.Any(e => e.TaskId == taskId) };
            }

            if (S.Applied is null && S.Definition is null && next.TaskId is null)
            {
                next = next with { Releasing = true }; // the app is deleted: its volumes go with it
            }

            if (next != reservation)
            {
                S.Reservations[reservation.Id] = next;
                changed = true;
            }
        }

        return changed;
    }

    /// <inheritdoc />
    public async Task ReservationsReleased(IReadOnlyList<string> reservationIds)
    {
        var removed = 0;
        foreach (var id in reservationIds)
        {
            removed += S.Reservations.Remove(id) ? 1 : 0;
        }

        if (removed > 0)
        {
            MarathonLog.AppReservationsReleased(logger, AppId, removed, S.Reservations.Count);
            _dirty = true;
            Converge(force: true);
        }

        await SaveAsync();
    }
}
