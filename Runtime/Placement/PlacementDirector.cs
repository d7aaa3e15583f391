using System.Reflection;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Placement;

/// <summary>Chooses the silo for a new activation, per the grain class's placement attribute.</summary>
internal static class PlacementDirector
{
    /// <summary>The silo for <paramref name="grain"/> among <paramref name="active"/> (never empty: it holds at least this silo).</summary>
    public static SiloAddress Choose(Type grainClass, GrainId grain, SiloAddress self, IReadOnlyList<SiloAddress> active, Func<SiloAddress, int> load, Random random)
    {
        if (active.Count == 0)
        {
            return self;
        }

        return grainClass.GetCustomAttribute<PlacementAttribute>(inherit: true) switch
        {
            PreferLocalPlacementAttribute when active.Contains(self) => self,
            HashBasedPlacementAttribute => active[(int)((uint)StableHash(grain.ToString()) % (uint)active.Count)],
            ActivationCountPlacementAttribute => LessLoaded(active[random.Next(active.Count)], active[random.Next(active.Count)], load),
            _ => active[random.Next(active.Count)],
        };
    }

    private static SiloAddress LessLoaded(SiloAddress a, SiloAddress b, Func<SiloAddress, int> load) => load(b) < load(a) ? b : a;

    /// <summary>FNV-1a over the text: the same grain maps to the same silo on every silo.</summary>
    public static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
