using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Allocation;

/// <summary>The DRF resource vector: cpus, mem, disk, gpus in thousandths, over all roles.</summary>
internal static class ScalarVector
{
    public static readonly string[] Names = [Res.Cpus, Res.Mem, Res.Disk, Res.Gpus];

    public const int Length = 4;

    public static long[] Of(Res resources)
    {
        var vector = new long[Length];
        AddTo(vector, resources, 1);
        return vector;
    }

    /// <summary>vector += sign × resources.</summary>
    public static void AddTo(long[] vector, Res resources, int sign)
    {
        for (var i = 0; i < Length; i++)
        {
            vector[i] += sign * resources.ScalarTotal(Names[i]).Millis;
        }
    }

    /// <summary>vector += sign × the unreserved part of resources.</summary>
    public static void AddUnreservedTo(long[] vector, Res resources, int sign)
    {
        for (var i = 0; i < Length; i++)
        {
            vector[i] += sign * resources.ScalarOf(Names[i]).Millis;
        }
    }

    /// <summary>The largest share allocated[i] / total[i] over resources the cluster has.</summary>
    public static double DominantShare(long[] allocated, long[] total)
    {
        var share = 0.0;
        for (var i = 0; i < Length; i++)
        {
            if (total[i] > 0)
            {
                share = Math.Max(share, (double)allocated[i] / total[i]);
            }
        }

        return share;
    }
}
