namespace OrleansDcos.Grains.Marathon;

/// <summary>What makes an app resident (stateful): local persistent volumes, which pin each instance to its agent.</summary>
public static class Residency
{
    /// <summary>Marathon's upgrade strategy for resident apps: kill before launching, never an extra instance.</summary>
    public static readonly UpgradeStrategyDefinition UpgradeStrategy = new() { MinimumHealthCapacity = 0.5, MaximumOverCapacity = 0 };

    /// <summary>Marathon's unreachable strategy for resident apps: replaced (with a new volume) after 7 days away.</summary>
    public static readonly UnreachableStrategyDefinition UnreachableStrategy = new() { InactiveAfterSeconds = 604800, ExpungeAfterSeconds = 604800 };

    /// <summary>True when <paramref name="app"/> has local persistent volumes.</summary>
    public static bool IsResident(this AppDefinition? app) => app?.Container?.Volumes.Any(v => v.Persistent is not null) == true;

    /// <summary>The persistent volumes of <paramref name="app"/>.</summary>
    public static IEnumerable<VolumeDefinition> PersistentVolumes(this AppDefinition app) =>
        app.Container?.Volumes.Where(v => v.Persistent is not null) ?? [];
}
