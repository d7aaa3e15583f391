using OrleansDcos.Scheduling.Resources;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// One agent inside the placement engine: what is free, plus a cache of the free unreserved
/// cpus/mem/disk/gpus and port count so that most candidates are judged with a few comparisons.
/// </summary>
internal sealed class AgentSlot
{
    public AgentSlot(int index, AgentDescriptor agent, Res available)
    {
        Index = index;
        Agent = agent;
        Free = available;
        FreeStandard = [];
        Set(available);
        CapacityCpus = Math.Max(available.ScalarTotal(Res.Cpus).ToDouble(), 1e-9);
        CapacityMem = Math.Max(available.ScalarTotal(Res.Mem).ToDouble(), 1e-9);
    }

    private long _freeCpusAllRoles;
    private long _freeMemAllRoles;

    public int Index { get; }

    public AgentDescriptor Agent { get; }

    public Res Free { get; private set; }

    /// <summary>Free unreserved cpus, mem, disk, gpus in thousandths (indexes of <see cref="StandardScalars"/>).</summary>
    public long[] FreeStandard { get; private set; }

    public ulong FreeUnreservedPorts { get; private set; }

    /// <summary>True when everything on the agent is unreserved and standard, so the cache tells the whole truth.</summary>
    public bool Simple { get; private set; }

    /// <summary>Total cpus and mem when the engine was built plus anything released since (for utilization scores).</summary>
    public double CapacityCpus { get; private set; }

    public double CapacityMem { get; private set; }

    /// <summary>The standard scalar names, in the order of <see cref="FreeStandard"/>.</summary>
    public static readonly string[] StandardScalars = [Res.Cpus, Res.Mem, Res.Disk, Res.Gpus];

    /// <summary>Utilization of cpus and mem (the larger) if <paramref name="demand"/> were added.</summary>
    public double UtilizationWith(long[] demand)
    {
        var usedCpus = CapacityCpus - ((_freeCpusAllRoles - demand[0]) / 1000.0);
        var usedMem = CapacityMem - ((_freeMemAllRoles - demand[1]) / 1000.0);
        return Math.Max(usedCpus / CapacityCpus, usedMem / CapacityMem);
    }

    public void Take(Res resources) => Set(Free.Minus(resources));

    public void Give(Res resources)
    {
        Set(Free.Plus(resources));
        CapacityCpus = Math.Max(CapacityCpus, Free.ScalarTotal(Res.Cpus).ToDouble());
        CapacityMem = Math.Max(CapacityMem, Free.ScalarTotal(Res.Mem).ToDouble());
    }

    private void Set(Res free)
    {
        var standard = new long[StandardScalars.Length];
        for (var i = 0; i < standard.Length; i++)
        {
            standard[i] = free.ScalarOf(StandardScalars[i]).Millis;
        }

        Free = free;
        FreeStandard = standard;
        _freeCpusAllRoles = free.ScalarTotal(Res.Cpus).Millis;
        _freeMemAllRoles = free.ScalarTotal(Res.Mem).Millis;
        FreeUnreservedPorts = free.RangesOf(Res.Ports).Count;
        var simple = true;
        foreach (var resource in free)
        {
            simple &= resource.IsUnreserved && (Array.IndexOf(StandardScalars, resource.Name) >= 0 || (resource.Name == Res.Ports && resource.Kind == ResourceKind.Ranges));
        }

        Simple = simple;
    }
}
