namespace OrleansDcos.Grains.Marathon;

/// <summary>What makes an app resident (stateful): local persistent volumes, which pin each instance to its agent.</summary>
public static class Residency
{
    /// <summary>Marathon's upgrade strategy for resident apps: kill before launching, never an extra instance.</summary>
    public static readonly UpgradeStrategyDefinition UpgradeStrategy = new() { MinimumHealthCapacity = 0.5, MaximumOverCapacity = 0 };

    /// <summary>Marathon's unreachable strategy for resident apps: replaced (with a new volume) after 7 days away.</summary>
    public static readonly UnreachableStrategyDefinition UnreachableStrategy = new() { InactiveAfterSeconds = 604800, ExpungeAfterSeconds = 604800 };

    /// <summary>True when <paramref name="app"/> has local persistent volumes.</summary>
    public static bool IsResident(this AppDefinition? app) =>
        app?.Container?.Volumes.Any(v => v.Persistent is not null) == true || app?.Pod?.Volumes.Any(v => v.PersistentSize is not null) == true;

    /// <summary>
    /// Why <paramref name="before"/> may not become <paramref name="after"/>, or null: a resident app's instances are
    /// pinned to reservations of its resources and volumes, so those cannot change (as Marathon documents), and an app
    /// cannot gain or lose persistent volumes; delete it and create it anew.
    /// </summary>
    public static (string Path, string Problem)? ChangeProblem(AppDefinition before, AppDefinition after)
    {
        if (before.IsResident() != after.IsResident())
        {
            return ("/container/volumes", "an app cannot gain or lose persistent volumes: delete it and create it anew");
        }

        if (!before.IsResident())
        {
            return null;
        }

        static string Volumes(AppDefinition app) => string.Join(';', app.PersistentVolumes().Select(v => $"{v.ContainerPath}:{v.Persistent!.Size}:{v.Persistent.Type}"));
        return Volumes(before) != Volumes(after) ? ("/container/volumes", "the persistent volumes of an app cannot change: delete it and create it anew")
            : (before.Cpus, before.Mem, before.Disk, before.Gpus, before.PortDefinitions.Count) != (after.Cpus, after.Mem, after.Disk, after.Gpus, after.PortDefinitions.Count)
                ? ("/cpus", "the resources of an app with persistent volumes (cpus, mem, disk, gpus, ports) are reserved and cannot change: delete it and create it anew")
            : null;
    }

    /// <summary>The persistent volumes of <paramref name="app"/>.</summary>
    /// <remarks>A pod's persistent volumes come as volumes whose container path is the pod volume's name.</remarks>
    public static IEnumerable<VolumeDefinition> PersistentVolumes(this AppDefinition app) =>
        app.Pod is { } pod
            ? pod.Volumes.Where(v => v.PersistentSize is not null).Select(v => new VolumeDefinition { ContainerPath = v.Name, Persistent = new PersistentVolumeDefinition { Size = v.PersistentSize!.Value } })
            : app.Container?.Volumes.Where(v => v.Persistent is not null) ?? [];
}
