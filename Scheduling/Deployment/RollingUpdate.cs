namespace OrleansDcos.Scheduling.Deployment;

/// <summary>
/// Converges an app to <c>instances</c> of its target version within its upgrade strategy: never more than
/// ceil((1 + maximumOverCapacity) × instances) live instances and never fewer than ceil(minimumHealthCapacity ×
/// instances) healthy ones while old instances are replaced. Unhealthy old instances go first; healthy old ones go
/// as new ones become healthy. A plain scale (no old instances) launches or kills the difference, killing by the
/// kill selection. When the bounds leave no room (minimum healthy = maximum live, e.g. 1 instance with
/// maximumOverCapacity 0), one old instance is killed beyond the minimum, as Marathon does. Pure and stateless:
/// call it again after every change.
/// </summary>
public static class RollingUpdate
{
    /// <summary>The most instances that may be live: ceil((1 + maximumOverCapacity) × instances).</summary>
    public static int MaxLive(int instances, double maximumOverCapacity) =>
        (int)Math.Ceiling(Math.Round(instances * (1 + maximumOverCapacity), 9));

    /// <summary>The fewest healthy instances a restart keeps: ceil(minimumHealthCapacity × instances).</summary>
    public static int MinHealthy(int instances, double minimumHealthCapacity) =>
        (int)Math.Ceiling(Math.Round(instances * minimumHealthCapacity, 9));

    /// <summary>The next decision for <paramref name="live"/> instances (<paramref name="pendingLaunches"/> target instances asked for, not yet live).</summary>
    public static RollingDecision Decide(
        int instances,
        double minimumHealthCapacity,
        double maximumOverCapacity,
        IReadOnlyCollection<RollingInstance> live,
        int pendingLaunches,
        bool killOldestFirst)
    {
        var dying = live.Count(i => i.Killing);
        var old = live.Where(i => !i.Current && !i.Killing).ToList();
        var current = live.Where(i => i.Current && !i.Killing).ToList();
        var kill = new List<string>();

        // Too many of the target version (a scale down): kill by the kill selection, unhealthy ones first.
        var surplus = current.Count + pendingLaunches - instances;
        if (surplus > 0)
        {
            var byHealth = current.OrderBy(i => i.Healthy);
            var victims = (killOldestFirst ? byHealth.ThenBy(i => i.StartedAt) : byHealth.ThenByDescending(i => i.StartedAt))
                .Take(Math.Min(surplus, current.Count))
                .Select(i => i.Id);
            kill.AddRange(victims);
        }

        var currentLeft = current.Count - kill.Count;
        var maxLive = Math.Max(MaxLive(instances, maximumOverCapacity), instances);
        var minHealthy = Math.Min(MinHealthy(instances, minimumHealthCapacity), instances);

        // Old instances: the unhealthy ones count for nothing, so they go at once; healthy ones only while enough
        // healthy instances stay, or when more live instances than the target remain anyway.
        var healthy = current.Count(i => i.Healthy && !kill.Contains(i.Id)) + old.Count(i => i.Healthy);
        var oldLeft = old.Count;
        foreach (var instance in old.OrderBy(i => i.Healthy).ThenBy(i => i.StartedAt))
        {
            if (!instance.Healthy)
            {
                kill.Add(instance.Id);
                oldLeft--;
                continue;
            }

            if (healthy - 1 >= minHealthy)
            {
                kill.Add(instance.Id);
                healthy--;
                oldLeft--;
            }
        }

        // No room at all (the minimum healthy fills the maximum live): one old instance goes beyond the minimum, as
        // Marathon does, or the restart could never move.
        if (kill.Count == 0 && dying == 0 && oldLeft > 0 && minHealthy >= maxLive && current.Count + old.Count + pendingLaunches >= maxLive)
        {
            var victim = old.OrderBy(i => i.StartedAt).First();
            kill.Add(victim.Id);
            oldLeft--;
        }

        var liveAfter = current.Count + old.Count + dying + pendingLaunches; // instances being killed are live until they end
        var wanted = Math.Max(0, instances - currentLeft - pendingLaunches);
        var launch = Math.Max(0, Math.Min(wanted, maxLive - liveAfter));
        var done = oldLeft == 0 && kill.Count == 0 && dying == 0 && launch == 0 && pendingLaunches == 0
            && currentLeft == instances && current.All(i => i.Healthy);
        return new RollingDecision(launch, kill, done);
    }
}
