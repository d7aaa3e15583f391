using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// What an agent has once its dynamic reservations and volumes (kept by the master, "checkpointed" in Mesos' words)
/// are laid over the static resources its daemon reports: each checkpointed resource takes the place of what it was
/// made of — unreserved resources for a dynamic reservation, the statically reserved disk for a volume on it.
/// </summary>
public static class CheckpointedResources
{
    /// <summary>What a checkpointed resource was made of.</summary>
    public static Resource Origin(Resource resource) => resource.Reservation is not null ? resource.AsUnreserved() : resource.WithoutVolume();

    /// <summary>
    /// The agent's total: <paramref name="reported"/> with <paramref name="checkpointed"/> laid over it. Those that no
    /// longer fit (the daemon now reports less than was reserved) are left out and returned in <c>Missing</c>; they stay
    /// checkpointed, so they come back when the resources do.
    /// </summary>
    public static (Res Total, Res Missing) Apply(Res reported, Res checkpointed)
    {
        var total = reported;
        var missing = new List<Resource>();
        foreach (var resource in checkpointed)
        {
            var origin = Res.From([Origin(resource)]);
            if (total.Contains(origin))
            {
                total = total.Minus(origin).Plus(resource);
            }
            else
            {
                missing.Add(resource);
            }
        }

        return (total, Res.From(missing));
    }
}
