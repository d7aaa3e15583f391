using OrleansDcos.Scheduling.Resources;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// The operations that pin a stateful instance to an agent, as Marathon makes them: the unreserved resources placed
/// for it are reserved for the resident role with the instance's reservation (principal and labels); the persistent
/// volumes' disk is carved out of the placed disk (the rest stays the sandbox's) and made into volumes. Releasing
/// destroys the volumes and unreserves everything.
/// </summary>
public static class ResidentResources
{
    /// <summary>A volume to make: its persistence id, container path and size in MiB.</summary>
    public sealed record VolumeRequest(string Id, string ContainerPath, double SizeMb);

    /// <summary>
    /// RESERVE and CREATE for <paramref name="placed"/> (unreserved resources whose disk covers every volume), and the
    /// task's resources once they are done.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="placed"/> has less disk than the volumes need.</exception>
    public static (Res Reserve, Res Create, Res Task) Of(Res placed, string role, Reservation reservation, IReadOnlyList<VolumeRequest> volumes)
    {
        var volumeDisk = volumes.Aggregate(Scalar.Zero, (sum, v) => sum + Scalar.FromDouble(v.SizeMb));
        var disk = placed.ScalarOf(Res.Disk);
        if (disk < volumeDisk)
        {
            throw new ArgumentException($"{disk} MiB of disk placed; the volumes need {volumeDisk}", nameof(placed));
        }

        var reserve = Res.From(placed.Where(r => r.IsUnreserved).Select(r => Resource.Reserved(r, role, reservation)));
        var create = Res.From(volumes.Select(v => Resource.Reserved(Resource.OfScalar(Res.Disk, v.SizeMb), role, reservation,
            new PersistentVolume(v.Id, v.ContainerPath, Principal: reservation.Principal))));
        var task = reserve.Minus(Res.From(create.Select(r => r.WithoutVolume()))).Plus(create);
        return (reserve, create, task);
    }

    /// <summary>DESTROY of the volumes and UNRESERVE of all else, releasing a reservation's <paramref name="held"/> resources.</summary>
    public static (Res Destroy, Res Unreserve) Release(Res held) =>
        (Res.From(held.Volumes), Res.From(held.Select(r => r.WithoutVolume())));
}
